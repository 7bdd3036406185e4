package io.pxewings.deploy.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.events.Topics;

/**
 * Issue 18, "past one broker": three real KRaft nodes as {@code ./wings up --brokers 3} starts
 * them, the catalog's topics with three replicas and two in sync, and a producer configured as the
 * services' (acks=all, idempotent) writing one machine's facts while the leader of their partition
 * is killed with -9. Every acknowledged fact is on the surviving nodes, once, in the order sent.
 */
class ThreeBrokerClusterTest {

    static final int FACTS = 2_000;
    static final List<BrokerProcess> NODES = new ArrayList<>();
    static String bootstrap;

    @BeforeAll
    static void startCluster() throws Exception {
        Path work = Path.of("target/wings-test/cluster-" + ProcessHandle.current().pid()).toAbsolutePath();
        int[] ports = new int[3];
        int[] controllers = new int[3];
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            ports[i] = FreePorts.next();
            controllers[i] = FreePorts.next();
            voters.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(controllers[i]);
        }
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            NODES.add(BrokerProcess.start(work.resolve("kafka-" + (i + 1)), ports[i], controllers[i], work.resolve("kafka-" + (i + 1) + ".log"),
                    List.of("--node-id", Integer.toString(i + 1), "--voters", voters.toString(), "--cluster-id", clusterId, "--replicas", "3")));
            addresses.add("127.0.0.1:" + ports[i]);
        }
        bootstrap = String.join(",", addresses);
    }

    @AfterAll
    static void stopCluster() {
        NODES.forEach(BrokerProcess::close);
    }

    @Test
    void killingThePartitionLeaderLosesNoAcknowledgedFactAndKeepsTheirOrder() throws Exception {
        TopicProvisioner.ensureTopics(bootstrap, (short) 3, Duration.ofSeconds(120));
        String topic = Topics.DHCP_FACTS.name();
        String key = "52:54:00:18:00:01";
        int partition;
        int leader;
        try (Admin admin = Admin.create(TopicProvisioner.adminConfig(bootstrap))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            // The partition the key hashes to, and the node leading it.
            try (KafkaProducer<String, String> probe = producer()) {
                partition = probe.send(new ProducerRecord<>(topic, key, "probe")).get().partition();
            }
            leader = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(partition).leader().id();
        }

        List<Future<RecordMetadata>> sent = new ArrayList<>();
        long t0 = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < FACTS; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, key, Integer.toString(i))));
                if (i == FACTS / 2) {
                    sent.get(FACTS / 4).get();   // some acknowledged, some in flight: now the leader dies
                    NODES.get(leader - 1).kill();
                }
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();   // every send acknowledged by the two nodes left (acks=all, min.insync.replicas=2)
            }
        }
        System.out.printf("[cluster] %d facts acknowledged across node %d's kill -9 in %.1f s%n", FACTS, leader,
                (System.nanoTime() - t0) / 1e9);

        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.size() < FACTS + 1 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key()) && !"probe".equals(r.value())) {
                        read.add(r.value());
                    }
                }
                if (read.size() == FACTS) {
                    break;
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < FACTS; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(read).as("every fact once, in the order sent (idempotent retries across the leader change)")
                .containsExactlyElementsOf(expected);
    }

    /** The services' producer settings (service-common's microprofile-config.properties). */
    static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000));
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "cluster-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
}
