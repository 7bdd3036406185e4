package io.pxewings.orchestrator.timeline;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.pxewings.events.codec.WingsEvent;
import io.pxewings.orchestrator.views.Machines;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The event log's table: facts appended once each (by event id, whichever instance consumed them),
 * read after a cursor in commit-safe order, pruned by age.
 */
@ApplicationScoped
public class EventLog {

    /** One fact to append: the decoded event and its data exactly as the topic carried it. */
    public record Appended(WingsEvent<?> event, byte[] data) {
    }

    /** Appends the facts not yet logged; returns how many were new. A fact keyed by a MAC is tied to the machine that has it, if known. */
    public int append(Connection c, List<Appended> facts) throws SQLException {
        if (facts.isEmpty()) {
            return 0;
        }
        try (PreparedStatement q = c.prepareStatement("INSERT INTO event_log "
                + "(event_id, type, source, site, subject, subject_key, machine_id, time, traceparent, data) "
                + "VALUES (?, ?, ?, ?, ?, ?, COALESCE(?::uuid, (SELECT id FROM machine WHERE mac = ?)), ?, ?, ?) "
                + "ON CONFLICT (event_id) DO NOTHING")) {
            for (Appended a : facts) {
                WingsEvent<?> e = a.event();
                String key = e.key() == null ? e.subject() : e.key();
                String lowerKey = key == null ? null : key.toLowerCase(Locale.ROOT);
                q.setString(1, e.id());
                q.setString(2, e.type().type());
                q.setString(3, e.source());
                q.setString(4, e.site());
                q.setString(5, e.subject());
                q.setString(6, lowerKey);
                q.setString(7, Machines.isUuid(lowerKey) ? lowerKey : null);
                q.setString(8, Machines.isUuid(lowerKey) ? null : lowerKey);
                q.setTimestamp(9, Timestamp.from(e.time()));
                q.setString(10, e.traceparent() == null ? null : e.traceparent().header());
                q.setString(11, a.data() == null ? "null" : new String(a.data(), StandardCharsets.UTF_8));
                q.addBatch();
            }
            int added = 0;
            for (int n : q.executeBatch()) {
                added += Math.max(n, 0);
            }
            return added;
        }
    }

    /** Up to {@code limit} facts after the cursor that the filter takes, in log order, from finished transactions only. */
    public List<LoggedEvent> after(Connection c, Cursor cursor, EventFilter filter, int limit) throws SQLException {
        // ORDER BY names the table's column: a bare "tx" is the output column "tx::text" (SQL resolves
        // output names first), and sorted as text 1000 comes before 999.
        String sql = "SELECT seq, tx::text AS tx_text, event_id, type, source, site, subject, machine_id::text, time, traceparent, data"
                + " FROM event_log WHERE (tx, seq) > (?::xid8, ?) AND tx < pg_snapshot_xmin(pg_current_snapshot())" + filter.where()
                + " ORDER BY event_log.tx, event_log.seq LIMIT ?";
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, cursor.tx());
            q.setLong(2, cursor.seq());
            int i = filter.bind(q, 3);
            q.setInt(i, limit);
            List<LoggedEvent> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new LoggedEvent(rs.getLong(1), new Cursor(rs.getString(2), rs.getLong(1)), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant(),
                            rs.getString(10), rs.getString(11)));
                }
            }
            return out;
        }
    }

    /** The cursor of the row a client last saw, if the log still holds it. */
    public Optional<Cursor> cursorOf(Connection c, long seq) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT tx::text FROM event_log WHERE seq = ?")) {
            q.setLong(1, seq);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new Cursor(rs.getString(1), seq)) : Optional.empty();
            }
        }
    }

    /**
     * After every fact of the transactions that have finished, before every fact of those still
     * running: where a stream that wants what comes next starts. Not after the newest visible row: a
     * transaction that began earlier may still commit a fact behind it, and that fact would be lost.
     */
    public Cursor now(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::numeric - 1)::text");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return new Cursor(rs.getString(1), Long.MAX_VALUE);
        }
    }

    /** Drops facts logged before the instant; returns how many. */
    public int prune(Connection c, Instant before) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("DELETE FROM event_log WHERE logged_at < ?")) {
            q.setTimestamp(1, Timestamp.from(before));
            return q.executeUpdate();
        }
    }
}
