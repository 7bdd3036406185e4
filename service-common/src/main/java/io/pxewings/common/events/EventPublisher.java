package io.pxewings.common.events;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.codec.CloudEventCodec;
import io.pxewings.events.codec.EncodedEvent;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Publishes facts through SmallRye Reactive Messaging's Kafka connector. Every event goes through
 * the one codec ({@link CloudEventCodec}): CloudEvents binary mode, the topic of its type, keyed by
 * the machine key. Sending never blocks the caller: the emitter buffers, and the returned stage
 * completes when the broker acknowledged.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    static final int BUFFER = 10_000;

    @Inject
    @Channel("wings-events-out")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
    Emitter<byte[]> emitter;

    @Inject
    ServiceIdentity identity;

    @Inject
    MeterRegistry registry;

    /** Events handed to the emitter and not yet acknowledged or failed: at most the emitter's buffer. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

    /** Publishes a new fact that starts its own trace. */
    public <T extends Record> CompletionStage<Void> publish(EventType<T> type, String key, T data) {
        return publish(type, key, data, Traceparent.newRoot());
    }

    /** Publishes a fact caused by earlier work, continuing its trace. */
    public <T extends Record> CompletionStage<Void> publish(EventType<T> type, String key, T data, Traceparent parent) {
        WingsEvent<T> event = new WingsEvent<>(newEventId(), type, identity.source(), key,
                identity.site(), Instant.now(), parent.child(), key, data);
        return send(event);
    }

    public CompletionStage<Void> send(WingsEvent<?> event) {
        if (inFlight.get() >= BUFFER) {
            // Kafka is slow or away and the buffer is full: refuse before encoding, and without the
            // exception the emitter would throw (a stack trace per event showed in the DHCP profile).
            count(event.type().type(), "rejected");
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(
                    "event buffer full (" + BUFFER + " unacknowledged): " + event.type().type() + " dropped"));
        }
        EncodedEvent encoded = CloudEventCodec.encode(event);
        return sendRecord(encoded.topic(), encoded.key(), encoded.headers(), encoded.value(), event.type().type(),
                event.id());
    }

    /**
     * Sends a record that was encoded earlier (an outbox row), or a tombstone ({@code value} null)
     * on a compacted topic. {@code type} names it in metrics and logs.
     */
    public CompletionStage<Void> sendRecord(String topic, String key, java.util.List<EventHeader> eventHeaders,
                                            byte[] value, String type, String id) {
        if (inFlight.incrementAndGet() > BUFFER) {
            inFlight.decrementAndGet();
            count(type, "rejected");
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(
                    "event buffer full (" + BUFFER + " unacknowledged): " + type + " dropped"));
        }
        RecordHeaders headers = new RecordHeaders();
        for (EventHeader h : eventHeaders) {
            headers.add(h.name(), h.valueBytes());
        }
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(key)
                .withHeaders(headers)
                .build();
        var done = new java.util.concurrent.CompletableFuture<Void>();
        Message<byte[]> message = Message.of(value)
                .addMetadata(metadata)
                .withAck(() -> {
                    inFlight.decrementAndGet();
                    count(type, "sent");
                    done.complete(null);
                    return done;
                })
                .withNack(failure -> {
                    inFlight.decrementAndGet();
                    count(type, "failed");
                    LOG.warnf(failure, "event %s %s not delivered", type, id);
                    done.completeExceptionally(failure);
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            // Channel down: counted and reported to the caller, never thrown into a hot path.
            inFlight.decrementAndGet();
            count(type, "rejected");
            done.completeExceptionally(e);
        }
        return done;
    }

    private void count(String type, String outcome) {
        counters.computeIfAbsent(type + " " + outcome, k -> Counter.builder("wings_events_published")
                .description("Events this instance published, by type and outcome (sent, failed, rejected)")
                .tag("type", type)
                .tag("outcome", outcome)
                .register(registry)).increment();
    }

    /** A version-4 UUID from ThreadLocalRandom: unique, without a SecureRandom read per event. */
    public static String newEventId() {
        var r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xf000L) | 0x4000L;                                // version 4
        long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;           // IETF variant
        return new UUID(hi, lo).toString();
    }
}
