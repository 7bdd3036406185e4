package io.pxewings.bmc.commands;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.bmc.store.Endpoints;
import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.EventTypes;
import io.pxewings.events.bmc.BmcCommand;
import io.pxewings.events.codec.WingsEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Takes commands from {@code wings.bmc.commands} for the machines of this instance's site (the
 * site's instances share them: one consumer group per site). A command for a machine of another
 * site is another site's to carry out; a record that is not a command is dead-lettered.
 */
@ApplicationScoped
public class CommandConsumer {

    static final String NAME = "bmc-commands";

    @Inject
    CommandRunner runner;

    @Inject
    Endpoints endpoints;

    @Inject
    ServiceIdentity identity;

    @Inject
    MeterRegistry registry;

    @Incoming("bmc-commands")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        java.util.Optional<WingsEvent<?>> decoded = IncomingEvents.decodeOrSkip(record, registry, NAME);
        if (decoded.isEmpty()) {
            return;
        }
        WingsEvent<?> event = decoded.get();
        if (event.type() != EventTypes.BMC_COMMAND_REQUESTED) {
            ConsumerMetrics.count(registry, NAME, event.type().type(), "skipped");
            return;
        }
        BmcCommand c = event.dataAs(EventTypes.BMC_COMMAND_REQUESTED);
        String site = c.machineId() == null || !c.machineId().matches("[0-9a-f-]{36}") ? null
                : endpoints.get(c.machineId()).map(Endpoints.Endpoint::site).orElse(null);
        // A machine of another site is that site's; an unknown one is answered (no-endpoint) by
        // the site the command came from only, so several sites do not all fail it.
        if (site != null ? !site.equals(identity.site()) : !event.site().equals(identity.site())) {
            ConsumerMetrics.count(registry, NAME, event.type().type(), "other-site");
            return;
        }
        boolean taken = runner.accept(c, event.traceparent());
        ConsumerMetrics.count(registry, NAME, event.type().type(), taken ? "applied" : "duplicate");
    }
}
