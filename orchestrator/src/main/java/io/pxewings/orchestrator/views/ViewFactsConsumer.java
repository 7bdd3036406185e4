package io.pxewings.orchestrator.views;

import java.sql.Connection;
import java.util.Optional;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.EventTypes;
import io.pxewings.events.machine.MachineSnapshot;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.image.ImageChanged;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Keeps {@link Machines} and {@link Images} from inventory-service's and image-service's facts, from the topics' beginning. */
@ApplicationScoped
public class ViewFactsConsumer {

    static final String MACHINES = "orchestrator-machine-facts";
    static final String IMAGES = "orchestrator-image-facts";

    @Inject
    DataSource db;

    @Inject
    Machines machines;

    @Inject
    io.pxewings.orchestrator.runs.DiscoveryInventory discoveries;

    @Inject
    Images images;

    @Inject
    MeterRegistry registry;

    @Incoming("machine-facts")
    @Blocking(ordered = true)
    public void machine(ConsumerRecord<String, byte[]> record) throws Exception {
        Optional<WingsEvent<?>> decoded = IncomingEvents.decodeOrSkip(record, registry, MACHINES);
        if (decoded.isEmpty()) {
            return;
        }
        WingsEvent<?> e = decoded.get();
        MachineSnapshot registered = null;
        try (Connection c = db.getConnection()) {
            if (e.type() == EventTypes.MACHINE_REGISTERED) {
                registered = e.dataAs(EventTypes.MACHINE_REGISTERED).machine();
                machines.upsert(c, registered);
            } else if (e.type() == EventTypes.MACHINE_UPDATED) {
                machines.upsert(c, e.dataAs(EventTypes.MACHINE_UPDATED).machine());
            } else if (e.type() == EventTypes.MACHINE_DELETED) {
                machines.delete(c, e.dataAs(EventTypes.MACHINE_DELETED).machineId());
            } else {
                ConsumerMetrics.count(registry, MACHINES, e.type().type(), "skipped");
                return;
            }
        }
        ConsumerMetrics.count(registry, MACHINES, e.type().type(), "applied");
        if (registered != null) {
            discoveries.registered(registered);
        }
    }

    @Incoming("image-facts")
    @Blocking(ordered = true)
    public void image(ConsumerRecord<String, byte[]> record) throws Exception {
        Optional<WingsEvent<?>> decoded = IncomingEvents.decodeOrSkip(record, registry, IMAGES);
        if (decoded.isEmpty()) {
            return;
        }
        WingsEvent<?> e = decoded.get();
        if (e.data() instanceof io.pxewings.events.image.CacheBlob blob) {
            try (Connection c = db.getConnection()) {
                if (e.type() == EventTypes.IMAGE_CACHE_BLOB_FETCHED) {
                    images.cached(c, blob, e.site(), e.source(), e.time());
                } else {
                    images.evicted(c, blob.digest(), e.source());
                }
            }
            ConsumerMetrics.count(registry, IMAGES, e.type().type(), "applied");
            return;
        }
        if (!(e.data() instanceof ImageChanged changed) || changed.image() == null) {
            ConsumerMetrics.count(registry, IMAGES, e.type().type(), "skipped");
            return;
        }
        try (Connection c = db.getConnection()) {
            if (e.type() == EventTypes.IMAGE_DELETED) {
                images.delete(c, changed.image().name(), changed.image().version());
            } else {
                images.upsert(c, changed.image());
            }
        }
        ConsumerMetrics.count(registry, IMAGES, e.type().type(), "applied");
    }
}
