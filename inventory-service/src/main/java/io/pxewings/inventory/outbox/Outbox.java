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
import io.pxewings.inventory.api.JsonBodies;
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

    /**
     * Runs {@code work} with the facts it adds gathered, then writes them with multi-row INSERTs:
     * a bulk import's thousands of facts in a few round trips instead of one each (the identity
     * column would otherwise cost a round trip per row). Ids stay in the order facts were added.
     */
    public <T> Uni<T> gathered(java.util.function.Supplier<Uni<T>> work) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        java.util.List<OutboxEntry> gathered = new java.util.ArrayList<>();
        context.putLocal(GATHERED, gathered);
        return Uni.createFrom().<T>deferred(() -> work.get())
                .eventually(() -> context.removeLocal(GATHERED))
                .flatMap(result -> insertAll(gathered).replaceWith(result));
    }

    static final String GATHERED = "wings.outbox.gathered";
    /** Rows per INSERT: 6 parameters each, far below PostgreSQL's 65,535 per statement. */
    static final int ROWS_PER_INSERT = 1000;

    private Uni<Void> persist(String topic, String key, Map<String, String> headers, byte[] value, String type) {
        OutboxEntry e = new OutboxEntry();
        e.topic = topic;
        e.recordKey = key;
        e.headers = headers;
        e.value = value;
        e.eventType = type;
        e.createdAt = Instant.now();
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        java.util.List<OutboxEntry> gathered = context == null ? null : context.getLocal(GATHERED);
        if (gathered != null && value != null) {
            gathered.add(e);
            return Uni.createFrom().voidItem();
        }
        return e.persist().replaceWithVoid();
    }

    private Uni<Void> insertAll(java.util.List<OutboxEntry> entries) {
        java.util.List<java.util.List<OutboxEntry>> slices = new java.util.ArrayList<>();
        for (int i = 0; i < entries.size(); i += ROWS_PER_INSERT) {
            slices.add(entries.subList(i, Math.min(entries.size(), i + ROWS_PER_INSERT)));
        }
        return Sequential.each(slices, slice -> io.quarkus.hibernate.reactive.panache.Panache.getSession().flatMap(s -> {
            StringBuilder sql = new StringBuilder("insert into outbox (topic, record_key, headers, value, event_type, created_at) values ");
            java.util.List<Object> params = new java.util.ArrayList<>();
            for (OutboxEntry e : slice) {
                int n = params.size();
                sql.append(n == 0 ? "" : ", ").append("(?").append(n + 1).append(", ?").append(n + 2)
                        .append(", cast(cast(?").append(n + 3).append(" as text) as jsonb), ?").append(n + 4)
                        .append(", ?").append(n + 5).append(", ?").append(n + 6).append(")");
                params.add(e.topic);
                params.add(e.recordKey);
                params.add(json(e.headers));
                params.add(e.value);
                params.add(e.eventType);
                params.add(java.time.OffsetDateTime.ofInstant(e.createdAt, java.time.ZoneOffset.UTC));
            }
            var q = s.createNativeQuery(sql.toString());
            for (int i = 0; i < params.size(); i++) {
                q.setParameter(i + 1, params.get(i));
            }
            return q.executeUpdate().replaceWithVoid();
        }));
    }

    /** The headers as a JSON object, for the jsonb column. */
    static String json(Map<String, String> headers) {
        try {
            return JsonBodies.JSON.writeValueAsString(headers);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
