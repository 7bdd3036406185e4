package io.pxewings.httpboot.intent;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.edge.BootIntentView;
import io.pxewings.common.edge.LeaseAddresses;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.EventTypes;
import io.pxewings.events.codec.UnknownEventTypeException;
import io.pxewings.events.codec.WingsEvent;
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

    @Inject
    io.pxewings.httpboot.agent.MachineBoots boots;

    @Inject
    io.pxewings.common.config.ServiceIdentity identity;

    @Incoming("boot-intents")
    public void consume(ConsumerRecord<String, byte[]> record) {
        intents.consume(record, registry, "http-boot-boot-intents");
    }

    @Incoming("dhcp-facts")
    public void lease(ConsumerRecord<String, byte[]> record) {
        WingsEvent<?> event;
        try {
            event = IncomingEvents.decode(record);
        } catch (UnknownEventTypeException newer) {
            ConsumerMetrics.count(registry, "http-boot-dhcp-facts", "unknown-type", "skipped");
            return;
        }
        if (event.type() == EventTypes.DHCP_DISCOVER_SEEN && identity.site().equals(event.site())) {
            // A machine starting again: its next token may take over from its last boot's.
            boots.discoverSeen(event.dataAs(EventTypes.DHCP_DISCOVER_SEEN).mac(), event.time());
        }
        LeaseAddresses.Outcome o = addresses.apply(event);
        ConsumerMetrics.count(registry, "http-boot-dhcp-facts", o.type(), o.outcome());
    }
}
