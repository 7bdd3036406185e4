package io.pxewings.dhcp.intent;

import java.util.Locale;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.EventTypes;
import io.pxewings.events.boot.BootIntent;
import io.pxewings.events.codec.EventDecodingException;
import io.pxewings.events.codec.UnknownEventTypeException;
import io.pxewings.events.codec.WingsEvent;
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
        if (record.value() == null) {
            view.remove(record.key());
            count("removed");
            return;
        }
        WingsEvent<?> event;
        try {
            event = IncomingEvents.decode(record);
        } catch (UnknownEventTypeException e) {
            count("skipped");
            return;
        }
        if (event.type() != EventTypes.BOOT_INTENT_UPDATED) {
            count("skipped");
            return;
        }
        BootIntent intent = event.dataAs(EventTypes.BOOT_INTENT_UPDATED);
        if (!BootIntent.INTENTS.contains(intent.intent()) || !intent.mac().equals(intent.mac().toLowerCase(Locale.ROOT))
                || !intent.mac().equals(record.key())) {
            count("invalid");
            throw new EventDecodingException("invalid boot intent for key " + record.key() + ": " + intent);
        }
        view.put(intent);
        count("applied");
    }

    private void count(String outcome) {
        Counter.builder("wings_events_consumed").description("Events consumed, by consumer, type and outcome")
                .tag("consumer", "dhcp-boot-intents").tag("type", EventTypes.BOOT_INTENT_UPDATED.type())
                .tag("outcome", outcome).register(registry).increment();
    }
}
