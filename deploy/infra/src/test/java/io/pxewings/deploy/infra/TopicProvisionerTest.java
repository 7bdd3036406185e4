package io.pxewings.deploy.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.events.EventCatalog;
import io.pxewings.events.catalog.TopicSpec;

/** The catalog's topics on a real broker: partitions, cleanup policy and retention as declared. */
class TopicProvisionerTest {

    static BrokerProcess broker;

    @BeforeAll
    static void startBroker() throws Exception {
        Path work = Path.of("target/wings-test/provisioner-" + ProcessHandle.current().pid()).toAbsolutePath();
        broker = BrokerProcess.start(work.resolve("kafka"), FreePorts.next(), FreePorts.next(), work.resolve("kafka.log"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
        assertThat(broker.isAlive()).as("broker stopped").isFalse();
    }

    @Test
    void createsEveryCatalogTopicAsDeclaredAndOnlyOnce() throws Exception {
        List<String> created = TopicProvisioner.ensureTopics(broker.bootstrap(), (short) 1, Duration.ofSeconds(90));
        assertThat(created).containsExactlyInAnyOrderElementsOf(EventCatalog.topics().stream().map(TopicSpec::name).toList());

        assertThat(TopicProvisioner.ensureTopics(broker.bootstrap(), (short) 1, Duration.ofSeconds(30)))
                .as("second run").isEmpty();

        try (Admin admin = Admin.create(TopicProvisioner.adminConfig(broker.bootstrap()))) {
            Set<String> names = Set.copyOf(created);
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            for (TopicSpec spec : EventCatalog.topics()) {
                assertThat(topics.get(spec.name()).partitions()).as(spec.name() + " partitions").hasSize(spec.partitions());
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                for (var expected : spec.kafkaConfigs().entrySet()) {
                    assertThat(config.get(expected.getKey()).value()).as(spec.name() + " " + expected.getKey())
                            .isEqualTo(expected.getValue());
                }
            }
        }
    }

    @Test
    void aBrokerThatDoesNotAnswerFailsWithItsAddress() {
        String nowhere = "127.0.0.1:" + FreePorts.next();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> TopicProvisioner.ensureTopics(nowhere, (short) 1, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(nowhere);
    }

    /** The many-sites page lists kafka-topics.sh commands for a cluster: each as the catalog would create it. */
    @Test
    void theManySitesPageHasEveryTopicsCommandAsTheCatalogMakesIt() throws Exception {
        String page = java.nio.file.Files.readString(Path.of("../../docs/many-sites.md"));
        for (TopicSpec spec : EventCatalog.topics()) {
            String command = TopicProvisioner.kafkaTopicsCommand(spec, (short) 3);
            assertThat(command).contains("--replication-factor 3", "--config min.insync.replicas=2",
                    "--partitions " + spec.partitions());
            assertThat(page).as("docs/many-sites.md, " + spec.name()).contains(command + "\n");
        }
        assertThat(TopicProvisioner.kafkaTopicsCommand(EventCatalog.topics().get(0), (short) 1))
                .as("one broker: no in-sync minimum above one").doesNotContain("min.insync.replicas");
    }
}
