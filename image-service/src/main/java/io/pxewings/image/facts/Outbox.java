package io.pxewings.image.facts;

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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Facts written in the catalog's own transaction (the outbox pattern, as inventory-service does):
 * a change and the fact announcing it commit together, and {@link OutboxRelay} publishes the
 * rows in order, deleting each once the broker acknowledged it. A catalog change is never
 * announced without having happened, nor happens unannounced.
 */
@ApplicationScoped
public class Outbox {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ServiceIdentity identity;

    /** Adds the fact to {@code conn}'s transaction. */
    public <T extends Record> void add(Connection conn, EventType<T> type, String key, T data, Traceparent trace) throws SQLException {
        WingsEvent<T> e = new WingsEvent<>(EventPublisher.newEventId(), type, identity.source(), key, identity.site(), Instant.now(),
                trace.child(), key, data);
        EncodedEvent encoded = CloudEventCodec.encode(e);
        List<Map<String, String>> headers = new ArrayList<>();
        for (EventHeader h : encoded.headers()) {
            headers.add(Map.of("name", h.name(), "value", h.value()));
        }
        try (PreparedStatement q = conn.prepareStatement(
                "INSERT INTO outbox (topic, key, type, event_id, headers, value) VALUES (?, ?, ?, ?, ?, ?)")) {
            q.setString(1, encoded.topic());
            q.setString(2, encoded.key());
            q.setString(3, type.type());
            q.setString(4, e.id());
            q.setString(5, JSON.writeValueAsString(headers));
            q.setBytes(6, encoded.value());
            q.executeUpdate();
        } catch (JsonProcessingException bad) {
            throw new IllegalStateException(bad);
        }
    }
}
