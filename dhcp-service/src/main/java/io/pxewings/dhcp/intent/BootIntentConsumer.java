package io.pxewings.dhcp.intent;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.edge.BootIntentView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Reads the whole compacted intent topic from the beginning at every start (a fresh consumer
 * group, no commits) and keeps the {@link BootIntentView} the DHCP engine reads current. A
 * record that is not a valid intent goes to the dead-letter topic.
 */
@ApplicationScoped
public class BootIntentConsumer {

    @Inject
    BootIntentView view;

    @Inject
    MeterRegistry registry;

    @Incoming("boot-intents")
    public void consume(ConsumerRecord<String, byte[]> record) {
        view.consume(record, registry, "dhcp-boot-intents");
    }
}
