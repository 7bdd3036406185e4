package io.pxewings.bmc.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every command this site's instances took on, by id: what makes a command effectively once. A
 * command is claimed by inserting its id; a redelivered or duplicated command finds it there and
 * is not carried out again. A command still "running" when its instance restarts was interrupted
 * and is failed, never run a second time.
 */
@ApplicationScoped
public class CommandLog {

    /** A command as recorded. */
    public record Entry(String commandId, String machineId, String action, String state, int attempt, String reason, String message,
                        String powerState, String requestedBy, Instant receivedAt, Instant finishedAt) {
    }

    @Inject
    DataSource db;

    /** True when this call claimed the command; false when it was seen before (by any instance). */
    public boolean claim(String commandId, String machineId, String action, String requestedBy, String instance) {
        return sql("""
                INSERT INTO commands (command_id, machine_id, action, state, requested_by, instance, received_at)
                VALUES (?, ?, ?, 'running', ?, ?, ?) ON CONFLICT (command_id) DO NOTHING""", q -> {
            q.setString(1, commandId);
            q.setObject(2, UUID.fromString(machineId));
            q.setString(3, action);
            q.setString(4, requestedBy);
            q.setString(5, instance);
            q.setTimestamp(6, Timestamp.from(Instant.now()));
            return q.executeUpdate() == 1;
        });
    }

    public void attempt(String commandId, int attempt) {
        sql("UPDATE commands SET attempt = ? WHERE command_id = ?", q -> {
            q.setInt(1, attempt);
            q.setString(2, commandId);
            return q.executeUpdate();
        });
    }

    public void finish(String commandId, boolean completed, String reason, String message, String powerState) {
        sql("UPDATE commands SET state = ?, reason = ?, message = ?, power_state = ?, finished_at = ? WHERE command_id = ?", q -> {
            q.setString(1, completed ? "completed" : "failed");
            q.setString(2, reason);
            q.setString(3, message == null ? null : message.length() > 1000 ? message.substring(0, 1000) : message);
            q.setString(4, powerState);
            q.setTimestamp(5, Timestamp.from(Instant.now()));
            q.setString(6, commandId);
            return q.executeUpdate();
        });
    }

    public Optional<Entry> get(String commandId) {
        return sql(SELECT + " WHERE command_id = ?", q -> {
            q.setString(1, commandId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.<Entry>empty();
            }
        });
    }

    public List<Entry> ofMachine(String machineId, int limit) {
        return sql(SELECT + " WHERE machine_id = ? ORDER BY received_at DESC LIMIT ?", q -> {
            q.setObject(1, UUID.fromString(machineId));
            q.setInt(2, limit);
            return rows(q);
        });
    }

    /** Commands this instance left running when it stopped: they are failed as interrupted. */
    public List<Entry> runningOf(String instance) {
        return sql(SELECT + " WHERE instance = ? AND state = 'running'", q -> {
            q.setString(1, instance);
            return rows(q);
        });
    }

    private static final String SELECT = "SELECT command_id, machine_id, action, state, attempt, reason, message, power_state, "
            + "requested_by, received_at, finished_at FROM commands";

    private static List<Entry> rows(PreparedStatement q) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    private static Entry row(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp(11);
        return new Entry(rs.getString(1), rs.getObject(2).toString(), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getTimestamp(10).toInstant(),
                finished == null ? null : finished.toInstant());
    }

    private <T> T sql(String statement, Sql.Query<T> query) {
        return Sql.run(db, "commands", statement, query);
    }
}
