package io.pxewings.orchestrator.services;

import java.sql.SQLException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.EventTypes;
import io.pxewings.events.codec.UnknownEventTypeException;
import io.pxewings.events.codec.WingsEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keeps the service registry current from {@code wings.service.lifecycle}. A record that is not a
 * valid event throws, and the connector's dead-letter strategy moves it to {@code wings.dead-letter}
 * with the reason; the consumer keeps going. Unknown types (newer producers) are skipped and counted.
 */
@ApplicationScoped
public class ServiceLifecycleConsumer {

    private static final Logger LOG = Logger.getLogger(ServiceLifecycleConsumer.class);

    @Inject
    ServiceRegistry registry;

    @Inject
    MeterRegistry metrics;

    @Incoming("service-lifecycle")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) throws SQLException {
        WingsEvent<?> event;
        try {
            event = IncomingEvents.decode(record);
        } catch (UnknownEventTypeException e) {
            count(e.type(), "skipped");
            return;
        }
        boolean changed;
        if (event.type() == EventTypes.SERVICE_STARTED || event.type() == EventTypes.SERVICE_ALIVE) {
            // An alive fact is a start's fields again: it refreshes last-seen (and teaches a registry that missed the start).
            changed = registry.started(event, (io.pxewings.events.service.ServiceStarted) event.data());
        } else if (event.type() == EventTypes.SERVICE_STOPPED) {
            changed = registry.stopped(event, event.dataAs(EventTypes.SERVICE_STOPPED));
        } else {
            count(event.type().type(), "skipped");
            return;
        }
        count(event.type().type(), changed ? "applied" : "duplicate");
        LOG.debugf("%s from %s: %s", event.type().type(), event.source(), changed ? "applied" : "already known");
    }

    private void count(String type, String outcome) {
        ConsumerMetrics.count(metrics, "service-registry", type, outcome);
    }
}
