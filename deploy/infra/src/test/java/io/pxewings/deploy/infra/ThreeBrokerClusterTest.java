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
 * Then a second node dies: nothing is acknowledged until one is back, and then everything is.
 */
class ThreeBrokerClusterTest {

    static final int FACTS = 2_000;
    static final List<BrokerProcess> NODES = new ArrayList<>();
    /** How each node was started, to start it again on its own data. */
    static final List<Runnable> RESTART = new ArrayList<>();
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
            int n = i;
            List<String> args = List.of("--node-id", Integer.toString(i + 1), "--voters", voters.toString(), "--cluster-id", clusterId,
                    "--replicas", "3");
            NODES.add(BrokerProcess.start(work.resolve("kafka-" + (i + 1)), ports[i], controllers[i], work.resolve("kafka-" + (i + 1) + ".log"),
                    args));
            RESTART.add(() -> {
                try {
                    NODES.set(n, BrokerProcess.start(work.resolve("kafka-" + (n + 1)), ports[n], controllers[n],
                            work.resolve("kafka-" + (n + 1) + ".log"), args));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
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

        List<String> read = readBack(topic, partition, key, v -> !"probe".equals(v) && !v.startsWith("held-"), FACTS);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < FACTS; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(read).as("every fact once, in the order sent (idempotent retries across the leader change)")
                .containsExactlyElementsOf(expected);

        twoOfThreeDownHoldsTheFactsUntilOneIsBack(topic, key, partition, leader);
    }

    /**
     * The same cluster with a second node killed: one of three left, so no write can have two
     * replicas (and the controllers have no quorum). Facts sent now are acknowledged to nobody:
     * they wait in the producer. Once a node is back, every one is acknowledged and on the topic,
     * once, in order, after the first 2,000.
     */
    void twoOfThreeDownHoldsTheFactsUntilOneIsBack(String topic, String key, int partition, int firstKilled) throws Exception {
        int second = firstKilled % 3 + 1;
        NODES.get(second - 1).kill();
        List<Future<RecordMetadata>> held = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 100; i++) {
                held.add(producer.send(new ProducerRecord<>(topic, key, "held-" + i)));
            }
            Thread.sleep(10_000);
            assertThat(held).as("nothing acknowledged with one node of three").noneMatch(Future::isDone);
            long back = System.nanoTime();
            RESTART.get(firstKilled - 1).run();
            for (Future<RecordMetadata> f : held) {
                f.get();
            }
            System.out.printf("[cluster] two nodes of three down: 100 facts held 10 s, acknowledged %.1f s after node %d started again%n",
                    (System.nanoTime() - back) / 1e9, firstKilled);
        }
        List<String> read = readBack(topic, partition, key, v -> v.startsWith("held-"), 100);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("held-" + i);
        }
        assertThat(read).as("the held facts once each, in order").containsExactlyElementsOf(expected);
    }

    /** The values of {@code key}'s records on the partition that {@code which} selects, in the partition's order (up to {@code count}). */
    static List<String> readBack(String topic, int partition, String key, java.util.function.Predicate<String> which, int count) {
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key()) && which.test(r.value())) {
                        read.add(r.value());
                    }
                }
            }
        }
        return read;
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
