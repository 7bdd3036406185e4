package io.pxewings.dhcp.reservation;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.DesiredState;
import io.pxewings.dhcp.codec.Hex;
import io.pxewings.dhcp.lease.Ipv4;
import io.pxewings.dhcp.lease.LeaseStore;
import io.pxewings.events.EventTypes;
import io.pxewings.events.codec.EventDecodingException;
import io.pxewings.events.dhcp.Reservation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keeps the lease store's reservations equal to the compacted {@code wings.dhcp.reservations}
 * topic (read whole at every start). A tombstone removes a MAC's reservation; an invalid record
 * goes to the dead-letter topic.
 */
@ApplicationScoped
public class ReservationConsumer {

    @Inject
    LeaseStore store;

    @Inject
    MeterRegistry registry;

    @Incoming("dhcp-reservations")
    public void consume(ConsumerRecord<String, byte[]> record) {
        DesiredState.Change<Reservation> change = DesiredState.read(record, EventTypes.DHCP_RESERVATION_UPDATED);
        String outcome = "skipped";
        if (change instanceof DesiredState.Removed<Reservation> removed) {
            store.unreserve(removed.key());
            outcome = "removed";
        } else if (change instanceof DesiredState.Updated<Reservation> updated) {
            Reservation r = updated.value();
            try {
                if (r.mac() == null || !r.mac().matches(Hex.MAC_PATTERN) || !r.mac().equals(updated.key()) || r.ip() == null) {
                    throw new IllegalArgumentException("MAC, key and address must be set and agree");
                }
                store.reserve(r.mac(), Ipv4.parse(r.ip()));
            } catch (IllegalArgumentException e) {
                count("invalid");
                throw new EventDecodingException("invalid reservation for key " + updated.key() + ": " + e.getMessage(), e);
            }
            outcome = "applied";
        }
        count(outcome);
    }

    private void count(String outcome) {
        ConsumerMetrics.count(registry, "dhcp-reservations", EventTypes.DHCP_RESERVATION_UPDATED.type(), outcome);
    }
}
