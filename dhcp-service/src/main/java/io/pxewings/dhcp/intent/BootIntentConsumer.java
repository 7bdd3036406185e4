package io.pxewings.dhcp.intent;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.DesiredState;
import io.pxewings.events.EventTypes;
import io.pxewings.events.boot.BootIntent;
import io.pxewings.events.codec.EventDecodingException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Reads the whole compacted intent topic from the beginning at every start (a fresh consumer
 * group, no commits) and keeps {@link BootIntentView} current. A tombstone removes a MAC's intent;
 * a record that is not a valid intent goes to the dead-letter topic.
 */
@ApplicationScoped
public class BootIntentConsumer {

    @Inject
    BootIntentView view;

    @Inject
    MeterRegistry registry;

    @Incoming("boot-intents")
    public void consume(ConsumerRecord<String, byte[]> record) {
        DesiredState.Change<BootIntent> change = DesiredState.read(record, EventTypes.BOOT_INTENT_UPDATED);
        String outcome = "skipped";
        if (change instanceof DesiredState.Removed<BootIntent> removed) {
            view.remove(removed.key());
            outcome = "removed";
        } else if (change instanceof DesiredState.Updated<BootIntent> updated) {
            BootIntent i = updated.value();
            if (!BootIntent.INTENTS.contains(i.intent()) || !updated.key().equals(i.mac())) {
                count("invalid");
                throw new EventDecodingException("invalid boot intent for key " + updated.key() + ": " + i);
            }
            view.put(i);
            outcome = "applied";
        }
        count(outcome);
    }

    private void count(String outcome) {
        ConsumerMetrics.count(registry, "dhcp-boot-intents", EventTypes.BOOT_INTENT_UPDATED.type(), outcome);
    }
}
