package io.pxewings.orchestrator.runs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.pxewings.orchestrator.views.Json;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs in PostgreSQL: rows locked for the transaction that changes them, so one fact or timer at a time moves a run. */
@ApplicationScoped
public class RunStore {

    static final String COLUMNS = "id, machine_id, mac, site, workflow, image, params, attempt, status, stage, stage_try, waiting_for, boot_id,"
            + " stale_boot_id, boot_after, deadline, deadline_action, fallback_used, wrote_disk, error, trace, created_at, updated_at";

    /** One history line of a run; {@code instance} is the orchestrator instance that wrote it. */
    public record HistoryLine(Instant at, String stage, String what, String detail, String instance) {
    }

    @jakarta.inject.Inject
    io.pxewings.common.config.ServiceIdentity identity;

    public void insert(Connection c, Run r, String idempotencyKey) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("INSERT INTO run (id, machine_id, mac, site, workflow, image, params, attempt, status, stage,"
                + " stage_try, stale_boot_id, idempotency_key, trace, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 1, ?, ?, ?, ?, ?)")) {
            q.setObject(1, UUID.fromString(r.id()));
            q.setObject(2, UUID.fromString(r.machineId()));
            q.setString(3, r.mac());
            q.setString(4, r.site());
            q.setString(5, r.workflow());
            q.setString(6, r.image());
            q.setString(7, Json.write(r.params()));
            q.setString(8, r.status());
            q.setString(9, r.stage());
            q.setString(10, r.staleBootId());
            q.setString(11, idempotencyKey);
            q.setString(12, r.trace());
            q.setTimestamp(13, Timestamp.from(r.createdAt()));
            q.setTimestamp(14, Timestamp.from(r.updatedAt()));
            q.executeUpdate();
        }
    }

    /** Writes back what a step changed. */
    public void update(Connection c, Run r) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("UPDATE run SET attempt = ?, status = ?, stage = ?, stage_try = ?, waiting_for = ?,"
                + " boot_id = ?, boot_after = ?, deadline = ?, deadline_action = ?, fallback_used = ?, wrote_disk = ?, error = ?,"
                + " updated_at = ? WHERE id = ?")) {
            q.setInt(1, r.attempt());
            q.setString(2, r.status());
            q.setString(3, r.stage());
            q.setInt(4, r.stageTry());
            q.setString(5, r.waitingFor());
            q.setString(6, r.bootId());
            q.setTimestamp(7, r.bootAfter() == null ? null : Timestamp.from(r.bootAfter()));
            q.setTimestamp(8, r.deadline() == null ? null : Timestamp.from(r.deadline()));
            q.setString(9, r.deadlineAction());
            q.setBoolean(10, r.fallbackUsed());
            q.setBoolean(11, r.wroteDisk());
            q.setString(12, r.error());
            q.setTimestamp(13, Timestamp.from(r.updatedAt()));
            q.setObject(14, UUID.fromString(r.id()));
            q.executeUpdate();
        }
    }

    public void history(Connection c, String runId, String stage, String what, String detail) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("INSERT INTO run_history (run_id, stage, what, detail, instance) VALUES (?, ?, ?, ?, ?)")) {
            q.setObject(1, UUID.fromString(runId));
            q.setString(2, stage);
            q.setString(3, what);
            q.setString(4, detail == null ? null : detail.length() > 2000 ? detail.substring(0, 2000) : detail);
            q.setString(5, identity.instance());
            q.executeUpdate();
        }
    }

    public List<HistoryLine> history(Connection c, String runId) throws SQLException {
        List<HistoryLine> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT at, stage, what, detail, instance FROM run_history WHERE run_id = ? ORDER BY id")) {
            q.setObject(1, UUID.fromString(runId));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new HistoryLine(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    /** The machine's active run, locked; the machine is named by id or by boot MAC. */
    public Optional<Run> lockActive(Connection c, String machineIdOrMac) throws SQLException {
        boolean byId = io.pxewings.orchestrator.views.Machines.isUuid(machineIdOrMac);
        return one(c, "SELECT " + COLUMNS + " FROM run WHERE " + (byId ? "machine_id = ?::uuid" : "mac = ?")
                + " AND status IN ('queued', 'running') FOR UPDATE", machineIdOrMac);
    }

    public Optional<Run> lock(Connection c, String id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM run WHERE id = ?::uuid FOR UPDATE", id);
    }

    public Optional<Run> get(Connection c, String id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM run WHERE id = ?::uuid", id);
    }

    public Optional<Run> byIdempotencyKey(Connection c, String key, String machineId) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM run WHERE idempotency_key = ? AND machine_id = ?::uuid", key, machineId);
    }

    /**
     * Running runs whose deadline passed and that {@code mine} accepts (the owned machines), locked,
     * skipping those another transaction holds; in site order, the order every transaction here
     * takes sites' rows in.
     */
    public List<Run> lockDue(Connection c, int limit, java.util.function.Predicate<String> mine) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, machine_id FROM run WHERE status = 'running' AND deadline <= now()"
                + " ORDER BY deadline LIMIT " + (limit * 8))) {
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next() && ids.size() < limit) {
                    if (mine.test(rs.getString(2))) {
                        ids.add(rs.getString(1));
                    }
                }
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        return many(c, "SELECT " + COLUMNS + " FROM run WHERE id = ANY (?::uuid[]) AND status = 'running' AND deadline <= now()"
                + " ORDER BY site, deadline FOR UPDATE SKIP LOCKED", c.createArrayOf("text", ids.toArray()));
    }

    /** The oldest queued runs of {@code site}, locked. */
    public List<Run> lockQueued(Connection c, String site, int limit) throws SQLException {
        return many(c, "SELECT " + COLUMNS + " FROM run WHERE status = 'queued' AND site = ? ORDER BY created_at, id LIMIT " + limit
                + " FOR UPDATE SKIP LOCKED", site);
    }

    /** Running runs per site, and the sites with queued runs. */
    public Map<String, int[]> siteCounts(Connection c) throws SQLException {
        Map<String, int[]> out = new java.util.TreeMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT site, count(*) FILTER (WHERE status = 'running'),"
                + " count(*) FILTER (WHERE status = 'queued') FROM run WHERE status IN ('queued', 'running') GROUP BY site");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), new int[] {rs.getInt(2), rs.getInt(3)});
            }
        }
        return out;
    }

    /** A site's runs that wait at a gate of their stage, in the order they will pass. */
    public List<Run> waitingAtGates(Connection c, String site) throws SQLException {
        return many(c, "SELECT " + COLUMNS + " FROM run WHERE status = 'running' AND deadline_action = 'gate' AND site = ?"
                + " ORDER BY gate_since, id LIMIT 1000", site);
    }

    public int running(Connection c, String site) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM run WHERE status = 'running' AND site = ?")) {
            q.setString(1, site);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The queue position (1 for the next to run) of a queued run. */
    public int position(Connection c, Run r) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM run WHERE status = 'queued' AND site = ? AND (created_at, id) <= (?, ?)")) {
            q.setString(1, r.site());
            q.setTimestamp(2, Timestamp.from(r.createdAt()));
            q.setObject(3, UUID.fromString(r.id()));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Runs, newest first, with optional filters, at most {@code limit}. */
    public List<Run> list(Connection c, String machineId, String site, String status, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM run WHERE true");
        List<Object> args = new ArrayList<>();
        if (machineId != null) {
            sql.append(" AND machine_id = ?::uuid");
            args.add(machineId);
        }
        if (site != null) {
            sql.append(" AND site = ?");
            args.add(site);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ").append(limit);
        return many(c, sql.toString(), args.toArray());
    }

    /** Whether the fact was applied before; records it if not (in the caller's transaction). */
    public boolean firstTime(Connection c, String eventId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("INSERT INTO processed_fact (event_id) VALUES (?) ON CONFLICT DO NOTHING")) {
            q.setString(1, eventId);
            return q.executeUpdate() == 1;
        }
    }

    private Optional<Run> one(Connection c, String sql, Object... args) throws SQLException {
        List<Run> runs = many(c, sql, args);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    private List<Run> many(Connection c, String sql, Object... args) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    private static Run read(ResultSet rs) throws SQLException {
        return new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                Json.objects(rs.getString(7)), rs.getInt(8), rs.getString(9), rs.getString(10), rs.getInt(11), rs.getString(12),
                rs.getString(13), rs.getString(14), instant(rs.getTimestamp(15)), instant(rs.getTimestamp(16)), rs.getString(17),
                rs.getBoolean(18), rs.getBoolean(19), rs.getString(20), rs.getString(21), instant(rs.getTimestamp(22)),
                instant(rs.getTimestamp(23)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
