package io.pxewings.common.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.common.events.EventPublisher;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.codec.CloudEventCodec;
import io.pxewings.events.codec.EncodedEvent;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;

/**
 * Facts written in a service's own database transaction (the transactional outbox): a change and
 * the fact announcing it commit together, and {@link OutboxRelay} publishes the rows in order. A
 * change is never announced without having happened, nor happens unannounced. The table (each
 * service's Flyway migration makes it):
 * {@code outbox (id bigserial, topic, key, type, event_id, headers, value bytea, created_at)}.
 *
 * <p>Plain classes, not beans: only the services with a database use them, through a bean of
 * their own.
 */
public final class OutboxRows {

    static final ObjectMapper JSON = new ObjectMapper();

    private OutboxRows() {
    }

    /** Adds the fact to {@code conn}'s transaction; returns its event id. */
    public static <T extends Record> String add(Connection conn, ServiceIdentity identity, EventType<T> type, String key, T data,
                                                Traceparent trace) throws SQLException {
        WingsEvent<T> e = new WingsEvent<>(EventPublisher.newEventId(), type, identity.source(), key, identity.site(), Instant.now(),
                trace.child(), key, data);
        return add(conn, e);
    }

    /** Adds an event made by the caller (its own id, subject, site) to {@code conn}'s transaction. */
    public static String add(Connection conn, WingsEvent<?> e) throws SQLException {
        EncodedEvent encoded = CloudEventCodec.encode(e);
        List<Map<String, String>> headers = new ArrayList<>();
        for (EventHeader h : encoded.headers()) {
            headers.add(Map.of("name", h.name(), "value", h.value()));
        }
        try (PreparedStatement q = conn.prepareStatement(
                "INSERT INTO outbox (topic, key, type, event_id, headers, value) VALUES (?, ?, ?, ?, ?, ?)")) {
            q.setString(1, encoded.topic());
            q.setString(2, encoded.key());
            q.setString(3, e.type().type());
            q.setString(4, e.id());
            q.setString(5, JSON.writeValueAsString(headers));
            q.setBytes(6, encoded.value());
            q.executeUpdate();
        } catch (JsonProcessingException bad) {
            throw new IllegalStateException(bad);
        }
        return e.id();
    }

    /** Adds a tombstone for {@code key} on the compacted {@code topic} (a desired state removed); its table's value must allow null. */
    public static void addTombstone(Connection conn, String topic, String key, String type) throws SQLException {
        try (PreparedStatement q = conn.prepareStatement(
                "INSERT INTO outbox (topic, key, type, event_id, headers, value) VALUES (?, ?, ?, ?, '[]', NULL)")) {
            q.setString(1, topic);
            q.setString(2, key);
            q.setString(3, type);
            q.setString(4, EventPublisher.newEventId());
            q.executeUpdate();
        }
    }
}
