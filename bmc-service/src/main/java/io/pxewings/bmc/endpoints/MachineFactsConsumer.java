package io.pxewings.bmc.endpoints;

import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.bmc.sessions.BmcClients;
import io.pxewings.bmc.store.Endpoints;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.EventTypes;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.machine.MachineDeleted;
import io.pxewings.events.machine.MachineSnapshot;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keeps each machine's BMC endpoint from inventory-service's machine facts (registered, updated,
 * deleted), for every site: a command or a poll never asks inventory synchronously. A machine
 * whose BMC was removed loses its endpoint, and its client logs out.
 */
@ApplicationScoped
public class MachineFactsConsumer {

    static final String NAME = "bmc-machine-facts";

    @Inject
    Endpoints endpoints;

    @Inject
    BmcClients clients;

    @Inject
    MeterRegistry registry;

    @Incoming("machine-facts")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        java.util.Optional<WingsEvent<?>> decoded = IncomingEvents.decodeOrSkip(record, registry, NAME);
        if (decoded.isEmpty()) {
            return;
        }
        WingsEvent<?> event = decoded.get();
        MachineSnapshot m;
        if (event.type() == EventTypes.MACHINE_REGISTERED) {
            m = event.dataAs(EventTypes.MACHINE_REGISTERED).machine();
        } else if (event.type() == EventTypes.MACHINE_UPDATED) {
            m = event.dataAs(EventTypes.MACHINE_UPDATED).machine();
        } else if (event.type() == EventTypes.MACHINE_DELETED) {
            MachineDeleted d = event.dataAs(EventTypes.MACHINE_DELETED);
            endpoints.remove(d.machineId());
            clients.forget(d.machineId());
            ConsumerMetrics.count(registry, NAME, event.type().type(), "removed");
            return;
        } else {
            ConsumerMetrics.count(registry, NAME, event.type().type(), "skipped");
            return;
        }
        Instant at = m.updatedAt() != null ? m.updatedAt() : event.time();
        if (m.bmc() == null || m.bmc().address() == null) {
            endpoints.remove(m.id());
            clients.forget(m.id());
            ConsumerMetrics.count(registry, NAME, event.type().type(), "no-bmc");
            return;
        }
        endpoints.put(new Endpoints.Endpoint(m.id(), m.site(), m.bmc().address(), m.bmc().protocol(), m.bmc().credentialsRef(), at));
        ConsumerMetrics.count(registry, NAME, event.type().type(), "applied");
    }
}
