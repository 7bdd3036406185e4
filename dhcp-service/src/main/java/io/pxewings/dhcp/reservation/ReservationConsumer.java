package io.pxewings.dhcp.reservation;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.dhcp.lease.Ipv4;
import io.pxewings.dhcp.lease.LeaseStore;
import io.pxewings.events.EventTypes;
import io.pxewings.events.codec.EventDecodingException;
import io.pxewings.events.codec.UnknownEventTypeException;
import io.pxewings.events.codec.WingsEvent;
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

    private static final String MAC = "[0-9a-f]{2}(:[0-9a-f]{2}){5}";

    @Inject
    LeaseStore store;

    @Inject
    MeterRegistry registry;

    @Incoming("dhcp-reservations")
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            store.unreserve(record.key());
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
        if (event.type() != EventTypes.DHCP_RESERVATION_UPDATED) {
            count("skipped");
            return;
        }
        Reservation r = event.dataAs(EventTypes.DHCP_RESERVATION_UPDATED);
        if (r.mac() == null || !r.mac().matches(MAC) || !r.mac().equals(record.key()) || r.ip() == null) {
            count("invalid");
            throw new EventDecodingException("invalid reservation for key " + record.key() + ": " + r);
        }
        try {
            store.reserve(r.mac(), Ipv4.parse(r.ip()));
        } catch (IllegalArgumentException e) {
            count("invalid");
            throw new EventDecodingException("invalid reservation for key " + record.key() + ": " + e.getMessage(), e);
        }
        count("applied");
    }

    private void count(String outcome) {
        Counter.builder("wings_events_consumed").description("Events consumed, by consumer, type and outcome")
                .tag("consumer", "dhcp-reservations").tag("type", EventTypes.DHCP_RESERVATION_UPDATED.type())
                .tag("outcome", outcome).register(registry).increment();
    }
}
