package io.pxewings.common.edge;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.DesiredState;
import io.pxewings.events.EventTypes;
import io.pxewings.events.boot.BootIntent;
import io.pxewings.events.codec.EventDecodingException;

/**
 * An edge service's local view of {@code wings.boot.intents}: the latest intent per MAC. DHCP and
 * HTTP boot read it on every request, so no boot path waits on Kafka or another service; while
 * Kafka is down the view keeps its last state. Each service feeds it from its own consumer
 * (a fresh group reading the compacted topic from the beginning at every start).
 */
public final class BootIntentView {

    private final Map<String, BootIntent> byMac = new ConcurrentHashMap<>();

    public BootIntentView(MeterRegistry registry) {
        Gauge.builder("wings_boot_intents", byMac, Map::size).description("Boot intents in this instance's local view").register(registry);
    }

    public Optional<BootIntent> get(String mac) {
        return Optional.ofNullable(byMac.get(mac));
    }

    /**
     * Applies one record of the intents topic: an intent replaces the MAC's, a tombstone removes
     * it, another type is skipped. Returns the outcome to count: applied, removed or skipped.
     *
     * @throws EventDecodingException for a record that is not a valid intent (for the dead-letter strategy)
     */
    public String apply(ConsumerRecord<String, byte[]> record) {
        DesiredState.Change<BootIntent> change = DesiredState.read(record, EventTypes.BOOT_INTENT_UPDATED);
        if (change instanceof DesiredState.Removed<BootIntent> removed) {
            byMac.remove(removed.key());
            return "removed";
        }
        if (change instanceof DesiredState.Updated<BootIntent> updated) {
            BootIntent i = updated.value();
            if (!BootIntent.INTENTS.contains(i.intent()) || !updated.key().equals(i.mac())) {
                throw new EventDecodingException("invalid boot intent for key " + updated.key() + ": " + i);
            }
            byMac.put(i.mac(), i);
            return "applied";
        }
        return "skipped";
    }

    /**
     * {@link #apply} for a consumer: counts the outcome as {@code consumer} in
     * {@code wings_events_consumed_total} (an invalid record as {@code invalid}, then rethrown for
     * the dead-letter strategy).
     */
    public void consume(ConsumerRecord<String, byte[]> record, MeterRegistry registry, String consumer) {
        String outcome = "invalid";
        try {
            outcome = apply(record);
        } finally {
            ConsumerMetrics.count(registry, consumer, EventTypes.BOOT_INTENT_UPDATED.type(), outcome);
        }
    }

    /** For tests and tools: sets an intent as if it had arrived on the topic. */
    public void put(BootIntent intent) {
        byMac.put(intent.mac(), intent);
    }

    public int size() {
        return byMac.size();
    }
}
