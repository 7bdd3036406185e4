package io.pxewings.inventory.outbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.catalog.TopicSpec;
import io.pxewings.events.codec.CloudEventCodec;
import io.pxewings.events.codec.EncodedEvent;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Writes facts into the outbox table inside the caller's transaction. A change and its fact
 * commit together or not at all; {@link OutboxRelay} publishes them afterwards. Callers must be
 * inside {@code Panache.withTransaction}.
 */
@ApplicationScoped
public class Outbox {

    @Inject
    ServiceIdentity identity;

    /** A fact about something in {@code site}, keyed by {@code key}, continuing the trace {@code parent}. */
    public <T extends Record> Uni<Void> add(EventType<T> type, String site, String key, T data, Traceparent parent) {
        WingsEvent<T> event = new WingsEvent<>(io.pxewings.common.events.EventPublisher.newEventId(), type,
                identity.source(), key, site, Instant.now(), parent.child(), key, data);
        EncodedEvent encoded = CloudEventCodec.encode(event);
        Map<String, String> headers = new LinkedHashMap<>();
        for (EventHeader h : encoded.headers()) {
            headers.put(h.name(), h.value());
        }
        return persist(encoded.topic(), encoded.key(), headers, encoded.value(), type.type());
    }

    /** A tombstone for {@code key} on a compacted topic (e.g. a reservation removed). */
    public Uni<Void> tombstone(TopicSpec topic, String key, String label) {
        return persist(topic.name(), key, Map.of(), null, label);
    }

    private Uni<Void> persist(String topic, String key, Map<String, String> headers, byte[] value, String type) {
        OutboxEntry e = new OutboxEntry();
        e.topic = topic;
        e.recordKey = key;
        e.headers = headers;
        e.value = value;
        e.eventType = type;
        e.createdAt = Instant.now();
        return e.persist().replaceWithVoid();
    }
}
