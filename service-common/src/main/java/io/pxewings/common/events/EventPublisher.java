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

    @Inject
    @Channel("wings-events-out")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
    Emitter<byte[]> emitter;

    @Inject
    ServiceIdentity identity;

    @Inject
    MeterRegistry registry;

    /** Publishes a new fact that starts its own trace. */
    public <T extends Record> CompletionStage<Void> publish(EventType<T> type, String key, T data) {
        return publish(type, key, data, Traceparent.newRoot());
    }

    /** Publishes a fact caused by earlier work, continuing its trace. */
    public <T extends Record> CompletionStage<Void> publish(EventType<T> type, String key, T data, Traceparent parent) {
        WingsEvent<T> event = new WingsEvent<>(UUID.randomUUID().toString(), type, identity.source(), key,
                identity.site(), Instant.now(), parent.child(), key, data);
        return send(event);
    }

    public CompletionStage<Void> send(WingsEvent<?> event) {
        EncodedEvent encoded = CloudEventCodec.encode(event);
        RecordHeaders headers = new RecordHeaders();
        for (EventHeader h : encoded.headers()) {
            headers.add(h.name(), h.valueBytes());
        }
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(encoded.topic())
                .withKey(encoded.key())
                .withHeaders(headers)
                .build();
        var done = new java.util.concurrent.CompletableFuture<Void>();
        Message<byte[]> message = Message.of(encoded.value())
                .addMetadata(metadata)
                .withAck(() -> {
                    count(event, "sent");
                    done.complete(null);
                    return done;
                })
                .withNack(failure -> {
                    count(event, "failed");
                    LOG.warnf(failure, "event %s %s not delivered", event.type().type(), event.id());
                    done.completeExceptionally(failure);
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            // Buffer full or channel down: counted and reported to the caller, never thrown into a hot path.
            count(event, "rejected");
            done.completeExceptionally(e);
        }
        return done;
    }

    private void count(WingsEvent<?> event, String outcome) {
        Counter.builder("wings_events_published")
                .description("Events this instance published, by type and outcome (sent, failed, rejected)")
                .tag("type", event.type().type())
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
