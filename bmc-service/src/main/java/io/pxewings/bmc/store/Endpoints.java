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
 * Every machine's BMC endpoint as inventory-service last announced it (its machine facts), in
 * this service's own table: the commands and the poller read it here, never from inventory.
 */
@ApplicationScoped
public class Endpoints {

    /** A machine's BMC: where, how, and the reference of its credentials in the vault. */
    public record Endpoint(String machineId, String site, String address, String protocol, String credentialsRef, Instant updatedAt) {
    }

    @Inject
    DataSource db;

    /** Records the endpoint; an older announcement never replaces a newer one. */
    public void put(Endpoint e) {
        sql("""
                INSERT INTO bmc_endpoints (machine_id, site, address, protocol, credentials_ref, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (machine_id) DO UPDATE SET site = EXCLUDED.site, address = EXCLUDED.address,
                  protocol = EXCLUDED.protocol, credentials_ref = EXCLUDED.credentials_ref, updated_at = EXCLUDED.updated_at
                WHERE bmc_endpoints.updated_at <= EXCLUDED.updated_at""", q -> {
            q.setObject(1, UUID.fromString(e.machineId()));
            q.setString(2, e.site());
            q.setString(3, e.address());
            q.setString(4, e.protocol());
            q.setString(5, e.credentialsRef());
            q.setTimestamp(6, Timestamp.from(e.updatedAt()));
            return q.executeUpdate();
        });
    }

    public void remove(String machineId) {
        sql("DELETE FROM bmc_endpoints WHERE machine_id = ?", q -> {
            q.setObject(1, UUID.fromString(machineId));
            return q.executeUpdate();
        });
    }

    public Optional<Endpoint> get(String machineId) {
        return sql("SELECT machine_id, site, address, protocol, credentials_ref, updated_at FROM bmc_endpoints WHERE machine_id = ?", q -> {
            q.setObject(1, UUID.fromString(machineId));
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.<Endpoint>empty();
            }
        });
    }

    /** The endpoints of one site, ordered by machine id (the poller walks them). */
    public List<Endpoint> ofSite(String site) {
        return sql("SELECT machine_id, site, address, protocol, credentials_ref, updated_at FROM bmc_endpoints WHERE site = ? "
                + "ORDER BY machine_id", q -> {
                    q.setString(1, site);
                    List<Endpoint> out = new ArrayList<>();
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            out.add(row(rs));
                        }
                    }
                    return out;
                });
    }

    private static Endpoint row(ResultSet rs) throws SQLException {
        return new Endpoint(rs.getObject(1).toString(), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6).toInstant());
    }

    private <T> T sql(String statement, Sql.Query<T> query) {
        return Sql.run(db, "bmc_endpoints", statement, query);
    }
}
