package io.pxewings.orchestrator.services;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.agroal.api.AgroalDataSource;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.service.ServiceStarted;
import io.pxewings.events.service.ServiceStopped;
import io.pxewings.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The table of service instances per site. Each upsert applies a fact only when it is newer than
 * the last one applied for that instance, so redelivered or reordered facts change nothing.
 */
@ApplicationScoped
public class ServiceRegistry {

    private static final String UPSERT_STARTED = """
            INSERT INTO service_instance (site, service, instance, state, version, host, pid, http_url, started_at,
                                          stopped_at, last_event_id, last_event_time)
            VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, NULL, ?, ?)
            ON CONFLICT (site, service, instance) DO UPDATE SET
                state = 'running', version = EXCLUDED.version, host = EXCLUDED.host, pid = EXCLUDED.pid,
                http_url = EXCLUDED.http_url, started_at = EXCLUDED.started_at, stopped_at = NULL,
                last_event_id = EXCLUDED.last_event_id, last_event_time = EXCLUDED.last_event_time
            WHERE service_instance.last_event_time < EXCLUDED.last_event_time
            """;

    private static final String UPSERT_STOPPED = """
            INSERT INTO service_instance (site, service, instance, state, stopped_at, last_event_id, last_event_time)
            VALUES (?, ?, ?, 'stopped', ?, ?, ?)
            ON CONFLICT (site, service, instance) DO UPDATE SET
                state = 'stopped', stopped_at = EXCLUDED.stopped_at,
                last_event_id = EXCLUDED.last_event_id, last_event_time = EXCLUDED.last_event_time
            WHERE service_instance.last_event_time < EXCLUDED.last_event_time
            """;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OrchestratorConfig config;

    /** @return true when the fact changed the table */
    public boolean started(WingsEvent<?> event, ServiceStarted s) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT_STARTED)) {
            ps.setString(1, event.site());
            ps.setString(2, s.service());
            ps.setString(3, s.instance());
            ps.setString(4, s.version());
            ps.setString(5, s.host());
            ps.setLong(6, s.pid());
            ps.setString(7, s.httpUrl());
            ps.setTimestamp(8, s.startedAt() == null ? null : Timestamp.from(s.startedAt()));
            ps.setString(9, event.id());
            ps.setTimestamp(10, Timestamp.from(event.time()));
            return ps.executeUpdate() > 0;
        }
    }

    /** @return true when the fact changed the table */
    public boolean stopped(WingsEvent<?> event, ServiceStopped s) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT_STOPPED)) {
            ps.setString(1, event.site());
            ps.setString(2, s.service());
            ps.setString(3, s.instance());
            ps.setTimestamp(4, Timestamp.from(s.stoppedAt()));
            ps.setString(5, event.id());
            ps.setTimestamp(6, Timestamp.from(event.time()));
            return ps.executeUpdate() > 0;
        }
    }

    public List<ServiceInstance> list(Optional<String> site) throws SQLException {
        String sql = "SELECT * FROM service_instance" + (site.isPresent() ? " WHERE site = ?" : "")
                + " ORDER BY site, service, instance";
        Instant staleBefore = Instant.now().minus(config.serviceStaleAfter());
        List<ServiceInstance> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (site.isPresent()) {
                ps.setString(1, site.get());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs, staleBefore));
                }
            }
        }
        return out;
    }

    private static ServiceInstance row(ResultSet rs, Instant staleBefore) throws SQLException {
        Instant lastSeen = rs.getTimestamp("last_event_time").toInstant();
        String state = rs.getString("state");
        // A crash sends no service.stopped: an instance whose last fact (started, alive every 30 s) is old is stale.
        if (state.equals("running") && lastSeen.isBefore(staleBefore)) {
            state = "stale";
        }
        long pid = rs.getLong("pid");
        return new ServiceInstance(rs.getString("site"), rs.getString("service"), rs.getString("instance"), state,
                rs.getString("version"), rs.getString("host"), rs.wasNull() ? null : pid, rs.getString("http_url"),
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("stopped_at")), lastSeen);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
