package io.pxewings.orchestrator.views;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.pxewings.events.machine.MachineSnapshot;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The machines as inventory-service's facts describe them (services talk only through events: a
 * run never asks inventory synchronously), with the lifecycle state the orchestrator owns. A fact
 * older than the stored version changes nothing.
 */
@ApplicationScoped
public class Machines {

    /** What runs need of a machine. */
    public record Machine(String id, String site, String mac, String firmware, boolean hasBmc, String lifecycle, Map<String, String> labels,
                          String lastBootId) {
    }

    /** Applies a registered or updated snapshot; the lifecycle is taken from inventory only for a machine new here. */
    public boolean upsert(Connection c, MachineSnapshot m) throws SQLException {
        String mac = m.nics() == null ? null : m.nics().stream().filter(MachineSnapshot.MachineNic::boot).map(MachineSnapshot.MachineNic::mac)
                .findFirst().orElse(null);
        boolean bmc = m.bmc() != null && m.bmc().address() != null;
        try (PreparedStatement q = c.prepareStatement("""
                INSERT INTO machine (id, site, mac, firmware, has_bmc, lifecycle, labels, version, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())
                ON CONFLICT (id) DO UPDATE SET site = excluded.site, mac = excluded.mac, firmware = excluded.firmware,
                    has_bmc = excluded.has_bmc, labels = excluded.labels, version = excluded.version, updated_at = now()
                WHERE machine.version <= excluded.version""")) {
            q.setObject(1, UUID.fromString(m.id()));
            q.setString(2, m.site());
            q.setString(3, mac);
            q.setString(4, m.firmware());
            q.setBoolean(5, bmc);
            q.setString(6, m.state() == null ? "discovered" : m.state());
            q.setString(7, Json.write(m.labels()));
            q.setLong(8, m.version());
            return q.executeUpdate() == 1;
        }
    }

    public void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("DELETE FROM machine WHERE id = ?")) {
            q.setObject(1, UUID.fromString(id));
            q.executeUpdate();
        }
    }

    /** A machine by its id or its boot MAC. */
    public Optional<Machine> find(Connection c, String idOrMac) throws SQLException {
        boolean id = isUuid(idOrMac);
        try (PreparedStatement q = c.prepareStatement("SELECT id, site, mac, firmware, has_bmc, lifecycle, labels, last_boot_id FROM machine WHERE "
                + (id ? "id = ?" : "mac = ?"))) {
            if (id) {
                q.setObject(1, UUID.fromString(idOrMac));
            } else {
                q.setString(1, idOrMac.toLowerCase(java.util.Locale.ROOT));
            }
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The machines whose labels hold every {@code key=value} of the selector (a comma-separated list). */
    public List<Machine> select(Connection c, Map<String, String> selector) throws SQLException {
        List<Machine> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, site, mac, firmware, has_bmc, lifecycle, labels, last_boot_id FROM machine ORDER BY id");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                Machine m = read(rs);
                if (selector.entrySet().stream().allMatch(e -> e.getValue().equals(m.labels().get(e.getKey())))) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** Sets the lifecycle state; returns the state before (null for a machine not known here). */
    public String setLifecycle(Connection c, String id, String state) throws SQLException {
        String before;
        try (PreparedStatement q = c.prepareStatement("SELECT lifecycle FROM machine WHERE id = ? FOR UPDATE")) {
            q.setObject(1, UUID.fromString(id));
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                before = rs.getString(1);
            }
        }
        try (PreparedStatement q = c.prepareStatement("UPDATE machine SET lifecycle = ?, updated_at = now() WHERE id = ?")) {
            q.setString(1, state);
            q.setObject(2, UUID.fromString(id));
            q.executeUpdate();
        }
        return before;
    }

    /**
     * Puts the machine in maintenance, remembering its state, or takes it out, back to that state
     * (or {@code ready} after a run that was in progress or failed); returns the new state.
     */
    public String maintenance(Connection c, String id, boolean on, String reason) throws SQLException {
        String sql = on
                ? "UPDATE machine SET lifecycle_before_maintenance = CASE WHEN lifecycle = 'maintenance' THEN lifecycle_before_maintenance"
                        + " ELSE lifecycle END, lifecycle = 'maintenance', maintenance_reason = ?, updated_at = now() WHERE id = ? RETURNING lifecycle"
                : "UPDATE machine SET lifecycle = CASE WHEN lifecycle <> 'maintenance' THEN lifecycle"
                        + " WHEN lifecycle_before_maintenance IN ('provisioned', 'inventoried', 'discovered', 'ready') THEN lifecycle_before_maintenance"
                        + " ELSE 'ready' END, maintenance_reason = ?, lifecycle_before_maintenance = NULL, updated_at = now() WHERE id = ?"
                        + " RETURNING lifecycle";
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, on ? reason : null);
            q.setObject(2, UUID.fromString(id));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The RAM-OS boot a machine's agent last reported from, and when the report was stamped. */
    public record LastBoot(String bootId, java.time.Instant at) {
    }

    /** Records the RAM-OS boot a machine's agent last reported from (a later report of an older stamp changes nothing). */
    public void lastBoot(Connection c, String mac, String bootId, java.time.Instant at) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("UPDATE machine SET last_boot_id = ?, last_boot_at = ? WHERE mac = ?"
                + " AND (last_boot_at IS NULL OR last_boot_at <= ?)")) {
            java.sql.Timestamp t = java.sql.Timestamp.from(at == null ? java.time.Instant.now() : at);
            q.setString(1, bootId);
            q.setTimestamp(2, t);
            q.setString(3, mac);
            q.setTimestamp(4, t);
            q.executeUpdate();
        }
    }

    public Optional<LastBoot> lastBoot(Connection c, String machineId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT last_boot_id, last_boot_at FROM machine WHERE id = ?::uuid AND last_boot_at IS NOT NULL")) {
            q.setString(1, machineId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new LastBoot(rs.getString(1), rs.getTimestamp(2).toInstant())) : Optional.empty();
            }
        }
    }

    /** Whether a machine key is an id (a UUID) rather than a boot MAC. */
    public static boolean isUuid(String s) {
        try {
            UUID.fromString(s);
            return s.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Machine read(ResultSet rs) throws SQLException {
        return new Machine(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getString(6),
                Json.strings(rs.getString(7)), rs.getString(8));
    }
}
