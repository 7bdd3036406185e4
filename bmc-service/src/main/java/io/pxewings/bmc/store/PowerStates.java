package io.pxewings.bmc.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The power state last read from each machine's BMC, so a change is told as a fact once. */
@ApplicationScoped
public class PowerStates {

    public record Known(String state, Instant readAt) {
    }

    @Inject
    DataSource db;

    /** Records {@code state} and returns the one known before, if any. */
    public Optional<Known> record(String machineId, String state) {
        try (Connection c = db.getConnection()) {
            Optional<Known> before = get(c, machineId);
            try (PreparedStatement q = c.prepareStatement("""
                    INSERT INTO power_states (machine_id, state, read_at) VALUES (?, ?, ?)
                    ON CONFLICT (machine_id) DO UPDATE SET state = EXCLUDED.state, read_at = EXCLUDED.read_at""")) {
                q.setObject(1, UUID.fromString(machineId));
                q.setString(2, state);
                q.setTimestamp(3, Timestamp.from(Instant.now()));
                q.executeUpdate();
            }
            return before;
        } catch (SQLException e) {
            throw new IllegalStateException("power_states: " + e.getMessage(), e);
        }
    }

    public Optional<Known> get(String machineId) {
        try (Connection c = db.getConnection()) {
            return get(c, machineId);
        } catch (SQLException e) {
            throw new IllegalStateException("power_states: " + e.getMessage(), e);
        }
    }

    private static Optional<Known> get(Connection c, String machineId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT state, read_at FROM power_states WHERE machine_id = ?")) {
            q.setObject(1, UUID.fromString(machineId));
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new Known(rs.getString(1), rs.getTimestamp(2).toInstant())) : Optional.empty();
            }
        }
    }
}
