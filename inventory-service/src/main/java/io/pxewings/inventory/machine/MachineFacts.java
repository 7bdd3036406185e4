package io.pxewings.inventory.machine;

import java.time.Instant;
import java.util.List;

import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.dhcp.Reservation;
import io.pxewings.events.machine.HardwareChanged;
import io.pxewings.events.machine.MachineDeleted;
import io.pxewings.events.machine.MachineRegistered;
import io.pxewings.events.machine.MachineUpdated;
import io.pxewings.inventory.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The facts a machine change produces, written to the outbox in the change's transaction. The
 * session is flushed first, so the snapshot carries the version (and ETag) the change committed.
 */
@ApplicationScoped
public class MachineFacts {

    @Inject
    Outbox outbox;

    public Uni<Void> registered(Machine m, String cause, Traceparent trace) {
        return Panache.flush().flatMap(v -> registeredFlushed(m, cause, trace));
    }

    public Uni<Void> updated(Machine m, List<String> changed, String cause, Traceparent trace) {
        return Panache.flush().flatMap(v -> updatedFlushed(m, changed, cause, trace));
    }

    /** For a caller that flushed many machines at once (a bulk import): no flush per fact. */
    public Uni<Void> registeredFlushed(Machine m, String cause, Traceparent trace) {
        return outbox.add(EventTypes.MACHINE_REGISTERED, m.site, m.id.toString(),
                new MachineRegistered(MachineSnapshots.of(m), cause), trace);
    }

    public Uni<Void> updatedFlushed(Machine m, List<String> changed, String cause, Traceparent trace) {
        return outbox.add(EventTypes.MACHINE_UPDATED, m.site, m.id.toString(),
                new MachineUpdated(MachineSnapshots.of(m), List.copyOf(changed), cause), trace);
    }

    public Uni<Void> hardwareChanged(Machine m, String mac, List<HardwareChanged.Difference> differences,
                                     Traceparent trace) {
        return outbox.add(EventTypes.MACHINE_HARDWARE_CHANGED, m.site, m.id.toString(),
                new HardwareChanged(m.id.toString(), m.site, mac, List.copyOf(differences)), trace);
    }

    public Uni<Void> deleted(Machine m, List<String> macs, String mergedInto, String cause, Traceparent trace) {
        return outbox.add(EventTypes.MACHINE_DELETED, m.site, m.id.toString(),
                new MachineDeleted(m.id.toString(), m.site, m.hostname, List.copyOf(macs), mergedInto, cause), trace);
    }

    /**
     * Keeps {@code wings.dhcp.reservations} current for one NIC: its reserved address with the
     * machine's host name, or a tombstone once it has none.
     */
    public Uni<Void> reservation(Machine m, String mac, String address, Traceparent trace) {
        if (address == null) {
            return outbox.tombstone(Topics.DHCP_RESERVATIONS, mac, "tombstone " + Topics.DHCP_RESERVATIONS.name());
        }
        return outbox.add(EventTypes.DHCP_RESERVATION_UPDATED, m.site, mac,
                new Reservation(mac, address, m.hostname, m.id.toString(), Instant.now()), trace);
    }
}
