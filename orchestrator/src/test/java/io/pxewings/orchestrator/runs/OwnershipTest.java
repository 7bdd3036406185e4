package io.pxewings.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/**
 * The timer fires a run's deadlines only where the instance owns the machine's partition: the
 * partition it computes must be the one the producer put the machine's facts in, or a machine's
 * deadlines and facts would be applied by two instances (or its deadlines by none).
 */
class OwnershipTest {

    @Test
    void aMachineIdFallsInThePartitionKafkasDefaultPartitionerGivesItsKey() {
        for (int i = 0; i < 1000; i++) {
            String id = UUID.randomUUID().toString();
            for (int partitions : new int[] {1, 3, 12, 48}) {
                assertThat(Ownership.partition(id, partitions)).as(id + " of " + partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }

    @Test
    void withoutAnAssignmentAnInstanceOwnsNothing() {
        assertThat(new Ownership().owns(UUID.randomUUID().toString())).isFalse();
    }
}
