package io.pxewings.tftp.facts;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.EventTypes;
import io.pxewings.events.codec.UnknownEventTypeException;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.dhcp.LeaseChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Reads the DHCP facts from the beginning at every start (a fresh group, no commits) and keeps
 * {@link LeaseAddresses} current: bound and renewed leases name their address, released and
 * expired ones stop naming it. Other DHCP facts are skipped; a record that is not an event goes
 * to the dead-letter topic.
 */
@ApplicationScoped
public class LeaseFactsConsumer {

    @Inject
    LeaseAddresses addresses;

    @Inject
    MeterRegistry registry;

    @Inject
    ServiceIdentity identity;

    @Incoming("dhcp-facts")
    public void consume(ConsumerRecord<String, byte[]> record) {
        WingsEvent<?> event;
        try {
            event = IncomingEvents.decode(record);
        } catch (UnknownEventTypeException newer) {
            count("unknown-type", "skipped");   // a type from a newer dhcp-service: not ours to judge
            return;
        }
        String type = event.type().type();
        if (!identity.site().equals(event.site())) {
            count(type, "other-site");   // the topic is shared; this instance serves one site
            return;
        }
        if (!(event.data() instanceof LeaseChanged lease)) {
            count(type, "skipped");
            return;
        }
        if (type.equals(EventTypes.DHCP_LEASE_BOUND.type()) || type.equals(EventTypes.DHCP_LEASE_RENEWED.type())) {
            addresses.bound(lease.ip(), lease.mac());
            count(type, "applied");
        } else if (type.equals(EventTypes.DHCP_LEASE_RELEASED.type()) || type.equals(EventTypes.DHCP_LEASE_EXPIRED.type())) {
            addresses.ended(lease.ip(), lease.mac());
            count(type, "applied");
        } else {
            count(type, "skipped");
        }
    }

    private void count(String type, String outcome) {
        ConsumerMetrics.count(registry, "tftp-dhcp-facts", type, outcome);
    }
}
