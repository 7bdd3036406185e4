package io.pxewings.orchestrator.runs;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.events.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Which machines' runs this instance owns: those whose id falls in a partition of
 * {@code wings.orchestrator.inputs} that the consumer group assigned to it. Kafka's group
 * membership is the lease: one member per partition at a time, and a member that stops
 * heartbeating (killed, partitioned away) loses its partitions to the others after the session
 * timeout. The timer fires deadlines only of owned runs, so facts and deadlines of a machine are
 * applied by one instance; row locks in PostgreSQL keep even the overlap of a hand-over safe.
 */
@ApplicationScoped
@Identifier(Ownership.NAME)
public class Ownership implements KafkaConsumerRebalanceListener {

    static final String NAME = "orchestrator-inputs-ownership";
    private static final Logger LOG = Logger.getLogger(Ownership.class);

    private final Set<Integer> owned = new ConcurrentSkipListSet<>();
    private volatile int partitions;

    @Inject
    MeterRegistry registry;

    @PostConstruct
    void metrics() {
        Gauge.builder("wings_orchestrator_owned_partitions", owned, Set::size)
                .description("Partitions of wings.orchestrator.inputs this instance owns: the machines whose facts and deadlines it applies")
                .register(registry);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        if (partitions == 0) {
            partitions = consumer.partitionsFor(Topics.ORCHESTRATOR_INPUTS.name()).size();
        }
        assigned.forEach(tp -> owned.add(tp.partition()));
        LOG.infof("owns partitions %s of %d of %s (assigned %s)", new TreeSet<>(owned), partitions, Topics.ORCHESTRATOR_INPUTS.name(),
                partitionsOf(assigned));
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        revoked.forEach(tp -> owned.remove(tp.partition()));
        if (!revoked.isEmpty()) {
            LOG.infof("gave up partitions %s of %s", partitionsOf(revoked), Topics.ORCHESTRATOR_INPUTS.name());
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
        lost.forEach(tp -> owned.remove(tp.partition()));
        LOG.warnf("lost partitions %s of %s (no heartbeat within the session timeout): another instance owns them now",
                partitionsOf(lost), Topics.ORCHESTRATOR_INPUTS.name());
    }

    /** Whether this instance applies the facts and deadlines of {@code machineKey} (a machine id, or a MAC). */
    public boolean owns(String machineKey) {
        int n = partitions;
        return n > 0 && owned.contains(partition(machineKey, n));
    }

    /** The partition Kafka's default partitioner gives a record keyed {@code key} (murmur2 of the key's bytes). */
    static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The partitions owned now (for the API and tests). */
    public Set<Integer> owned() {
        return new TreeSet<>(owned);
    }

    public int partitions() {
        return partitions;
    }

    private static Set<Integer> partitionsOf(Collection<TopicPartition> tps) {
        Set<Integer> out = new TreeSet<>();
        tps.forEach(tp -> out.add(tp.partition()));
        return out;
    }
}
