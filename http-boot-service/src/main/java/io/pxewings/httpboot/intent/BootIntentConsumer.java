package io.pxewings.httpboot.intent;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.edge.BootIntentView;
import io.pxewings.common.edge.LeaseAddresses;
import io.pxewings.common.events.ConsumerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keeps the two local views http-boot-service answers machines from: boot intents (the whole
 * compacted topic, from the beginning at every start) and which MAC holds which address (the DHCP
 * lease facts, for file facts whose URL carries no MAC). Records that are not valid go to the
 * dead-letter topic.
 */
@ApplicationScoped
public class BootIntentConsumer {

    @Inject
    BootIntentView intents;

    @Inject
    LeaseAddresses addresses;

    @Inject
    MeterRegistry registry;

    @Incoming("boot-intents")
    public void consume(ConsumerRecord<String, byte[]> record) {
        intents.consume(record, registry, "http-boot-boot-intents");
    }

    @Incoming("dhcp-facts")
    public void lease(ConsumerRecord<String, byte[]> record) {
        LeaseAddresses.Outcome o = addresses.apply(record);
        ConsumerMetrics.count(registry, "http-boot-dhcp-facts", o.type(), o.outcome());
    }
}
