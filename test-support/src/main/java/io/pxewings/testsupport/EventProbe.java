package io.pxewings.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.pxewings.events.codec.CloudEventCodec;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.WingsEvent;

/**
 * Reads events back from the real broker, from the beginning of a topic, with a plain Kafka
 * consumer (no Quarkus): what an integration subscribing to PXE Wings would see.
 */
public final class EventProbe implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<WingsEvent<?>> seen = new ArrayList<>();
    private final List<ConsumerRecord<String, byte[]>> rawSeen = new ArrayList<>();

    public EventProbe(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        // Assigned, not subscribed: a probe needs no group, and a group join could take longer than
        // a test waits (seen on wings.dead-letter).
        List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .stream().map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Waits until an event matching the predicate arrives; fails with what was seen instead. Every
     * event polled is kept, so later calls find events that arrived in the same batch.
     */
    public WingsEvent<?> await(Predicate<WingsEvent<?>> match, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int searched = 0;
        do {
            for (; searched < seen.size(); searched++) {
                if (match.test(seen.get(searched))) {
                    WingsEvent<?> found = seen.get(searched);
                    seen.remove(searched);
                    return found;
                }
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.value() != null) {
                    // A tombstone on a compacted topic is not an event; awaitRecord sees those.
                    seen.add(decode(r));
                }
            }
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("no matching event within " + timeout.toSeconds() + " s; saw " + seen.size()
                + ": " + seen.stream().map(e -> e.type().type() + " " + e.subject()).toList());
    }

    /**
     * Every event on the topic up to its end now, in each partition's order (one key's facts are in
     * one partition, so in the order they were produced), with those polled earlier and not yet matched.
     */
    public List<WingsEvent<?>> readToEnd(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), timeout);
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the topic's end not reached within " + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.value() != null) {
                    seen.add(decode(r));
                }
            }
        }
        return List.copyOf(seen);
    }

    /** True when no event matching the predicate arrives within {@code quiet} (for "only one" checks). */
    public boolean awaitNone(Predicate<WingsEvent<?>> match, Duration quiet) {
        try {
            await(match, quiet);
            return false;
        } catch (AssertionError none) {
            return true;
        }
    }

    /**
     * Waits for a raw record (e.g. on the dead-letter topic, where records need not be events).
     * Records polled and not matched are kept for later calls, as {@link #await} keeps events.
     */
    public ConsumerRecord<String, byte[]> awaitRecord(Predicate<ConsumerRecord<String, byte[]>> match, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int searched = 0;
        do {
            for (; searched < rawSeen.size(); searched++) {
                if (match.test(rawSeen.get(searched))) {
                    return rawSeen.remove(searched);
                }
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                rawSeen.add(r);
            }
        } while (Instant.now().isBefore(deadline) || searched < rawSeen.size());
        throw new AssertionError("no matching record within " + timeout.toSeconds() + " s; saw " + rawSeen.size());
    }

    static WingsEvent<?> decode(ConsumerRecord<String, byte[]> r) {
        List<EventHeader> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            headers.add(EventHeader.of(h.key(), h.value()));
        }
        return CloudEventCodec.decode(r.key(), headers, r.value());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
