package io.pxewings.deploy.infra;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import io.pxewings.events.EventCatalog;
import io.pxewings.events.catalog.TopicSpec;

/**
 * Creates every topic of the event catalog that is missing, with its partitions, cleanup policy and
 * retention. Topics are created up front because the broker does not auto-create them. Waiting for
 * the broker to answer is part of the job: it doubles as the broker's readiness check.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /** @return the topics that were created (empty when all existed) */
    public static List<String> ensureTopics(String bootstrap, short replicationFactor, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try (Admin admin = Admin.create(adminConfig(bootstrap))) {
                return createMissing(admin, replicationFactor);
            } catch (ExecutionException | RuntimeException e) {
                last = e;
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds()
                + " s: " + (last == null ? "timeout" : last.getMessage()), last);
    }

    private static List<String> createMissing(Admin admin, short replicationFactor)
            throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (TopicSpec spec : EventCatalog.topics()) {
            if (!existing.contains(spec.name())) {
                missing.add(new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(configs(spec, replicationFactor)));
            }
        }
        List<String> created = new ArrayList<>();
        if (missing.isEmpty()) {
            return created;
        }
        for (var entry : admin.createTopics(missing).values().entrySet()) {
            try {
                entry.getValue().get();
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /**
     * The catalog's settings, and with replicas a write acknowledged by two of them (the producers'
     * acks=all then means two disks, and one broker may die): operator-guide, "Many sites".
     */
    static Map<String, String> configs(TopicSpec spec, short replicationFactor) {
        Map<String, String> configs = new java.util.HashMap<>(spec.kafkaConfigs());
        if (replicationFactor > 1) {
            configs.put("min.insync.replicas", Integer.toString(Math.min(2, replicationFactor)));
        }
        return configs;
    }

    /**
     * The {@code kafka-topics.sh} command that creates SPEC as {@link #ensureTopics} would, for
     * clusters whose topics are made by their own tooling (docs/many-sites.md lists them all).
     */
    public static String kafkaTopicsCommand(TopicSpec spec, short replicationFactor) {
        StringBuilder command = new StringBuilder("kafka-topics.sh --bootstrap-server BROKER:9092 --create --if-not-exists --topic ")
                .append(spec.name()).append(" --partitions ").append(spec.partitions()).append(" --replication-factor ")
                .append(replicationFactor);
        new java.util.TreeMap<>(configs(spec, replicationFactor)).forEach((k, v) -> command.append(" --config ").append(k).append('=').append(v));
        return command.toString();
    }

    static Properties adminConfig(String bootstrap) {
        Properties p = new Properties();
        p.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(5),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(10),
                AdminClientConfig.CLIENT_ID_CONFIG, "wings-topic-provisioner"));
        return p;
    }
}
