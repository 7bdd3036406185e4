package io.pxewings.inventory.discovery;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.EventTypes;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.codec.UnknownEventTypeException;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.dhcp.DiscoverSeen;
import io.pxewings.inventory.api.PreconditionFailed;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Applies {@code dhcp.discover.seen}, {@code agent.inventory.reported} and the orchestrator's
 * {@code machine.lifecycle.changed} from every site. A
 * record that is not a valid event, or whose payload cannot be applied, fails its message: the
 * connector sends it to {@code wings.dead-letter} and goes on with the next. A lost race with
 * another writer (an optimistic lock, a unique index) is retried, since the retry sees the winner.
 */
@ApplicationScoped
public class DiscoveryConsumer {

    private static final Logger LOG = Logger.getLogger(DiscoveryConsumer.class);

    @Inject
    Discovery discovery;

    @Inject
    MeterRegistry registry;

    @Incoming("dhcp-facts")
    public Uni<Void> dhcp(ConsumerRecord<String, byte[]> record) {
        return apply("inventory-dhcp-facts", record);
    }

    @Incoming("agent-facts")
    public Uni<Void> agent(ConsumerRecord<String, byte[]> record) {
        return apply("inventory-agent-facts", record);
    }

    @Incoming("run-facts")
    public Uni<Void> runs(ConsumerRecord<String, byte[]> record) {
        return apply("inventory-run-facts", record);
    }

    private Uni<Void> apply(String consumer, ConsumerRecord<String, byte[]> record) {
        WingsEvent<?> event;
        try {
            event = IncomingEvents.decode(record);
        } catch (UnknownEventTypeException newer) {
            ConsumerMetrics.count(registry, consumer, "unknown-type", "skipped");
            return Uni.createFrom().voidItem();
        } catch (RuntimeException poison) {
            ConsumerMetrics.count(registry, consumer, "undecodable", "invalid");
            LOG.warnf("%s: record %s-%d@%d is not an event (%s); dead-lettered", consumer, record.topic(),
                    record.partition(), record.offset(), poison.getMessage());
            return Uni.createFrom().failure(poison);
        }
        String type = event.type().type();
        Uni<String> work;
        if (event.type() == EventTypes.DHCP_DISCOVER_SEEN) {
            DiscoverSeen d = event.dataAs(EventTypes.DHCP_DISCOVER_SEEN);
            work = Uni.createFrom().deferred(() -> discovery.discoverSeen(event.site(), d, event.traceparent()));
        } else if (event.type() == EventTypes.AGENT_INVENTORY_REPORTED) {
            InventoryReported r = event.dataAs(EventTypes.AGENT_INVENTORY_REPORTED);
            work = Uni.createFrom().deferred(() -> discovery.inventoryReported(event.site(), r, event.traceparent()));
        } else if (event.type() == EventTypes.MACHINE_LIFECYCLE_CHANGED) {
            io.pxewings.events.run.LifecycleChanged l = event.dataAs(EventTypes.MACHINE_LIFECYCLE_CHANGED);
            work = Uni.createFrom().deferred(() -> discovery.lifecycleChanged(l, event.traceparent()));
        } else {
            ConsumerMetrics.count(registry, consumer, type, "skipped");
            return Uni.createFrom().voidItem();
        }
        io.micrometer.core.instrument.Timer.Sample sample = io.micrometer.core.instrument.Timer.start(registry);
        return work.onFailure(DiscoveryConsumer::lostRace).retry().withBackOff(Duration.ofMillis(20), Duration.ofMillis(500))
                .atMost(5)
                .invoke(outcome -> {
                    sample.stop(io.micrometer.core.instrument.Timer.builder("wings_inventory_discovery")
                            .description("Time to apply one discovery fact (its transaction, retries included)")
                            .tag("type", type).publishPercentileHistogram().register(registry));
                    ConsumerMetrics.count(registry, consumer, type, outcome);
                })
                .onFailure().invoke(failure -> {
                    ConsumerMetrics.count(registry, consumer, type, "invalid");
                    LOG.warnf("%s: %s %s for %s not applied (%s); dead-lettered", consumer, type, event.id(),
                            event.subject(), failure.toString());
                })
                .replaceWithVoid();
    }

    /** Another writer won a race: the retry sees its result and applies cleanly. */
    static boolean lostRace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof jakarta.persistence.OptimisticLockException || t instanceof org.hibernate.StaleStateException
                    || t instanceof PreconditionFailed) {
                return true;
            }
            if (io.pxewings.inventory.api.ApiErrors.uniqueViolated(t) != null) {
                return true;
            }
            if (t instanceof PgException pg && ("40001".equals(pg.getSqlState()) || "40P01".equals(pg.getSqlState()))) {
                return true;
            }
        }
        return false;
    }
}
