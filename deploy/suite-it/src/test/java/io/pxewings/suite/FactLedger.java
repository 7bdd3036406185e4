package io.pxewings.suite;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.pxewings.events.EventCatalog;
import io.pxewings.events.catalog.TopicSpec;
import io.pxewings.events.codec.CloudEventCodec;

/**
 * Every fact on the catalog's topics, by topic and event id ({@code ce_id}), up to the end each
 * partition has when asked: two readings, before and after a fault, show whether anything that
 * was acknowledged is gone.
 */
final class FactLedger {

    private FactLedger() {
    }

    static Set<String> read(String bootstrap) {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "ledger-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000));
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = EventCatalog.topics().stream().map(TopicSpec::name)
                    .flatMap(t -> consumer.partitionsFor(t, Duration.ofSeconds(30)).stream().map(i -> new TopicPartition(t, i.partition())))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the topics were not read to their end in 120 s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Header id = r.headers().lastHeader(CloudEventCodec.H_ID);
                    if (id != null) {
                        ids.add(r.topic() + "/" + new String(id.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return ids;
    }
}
