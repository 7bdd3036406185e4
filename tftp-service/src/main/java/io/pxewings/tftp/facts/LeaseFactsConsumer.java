package io.pxewings.tftp.facts;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.edge.LeaseAddresses;
import io.pxewings.common.events.ConsumerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Reads the DHCP facts from the beginning at every start (a fresh group, no commits) and keeps
 * {@link LeaseAddresses} current, so TFTP facts can name the MAC behind a client address. A record
 * that is not an event goes to the dead-letter topic.
 */
@ApplicationScoped
public class LeaseFactsConsumer {

    @Inject
    LeaseAddresses addresses;

    @Inject
    MeterRegistry registry;

    @Incoming("dhcp-facts")
    public void consume(ConsumerRecord<String, byte[]> record) {
        LeaseAddresses.Outcome o = addresses.apply(record);
        ConsumerMetrics.count(registry, "tftp-dhcp-facts", o.type(), o.outcome());
    }
}
