package io.pxewings.inventory.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.pxewings.inventory.outbox.SafeContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * What an SRE graphs about the system of record, counted in PostgreSQL every
 * {@value #PERIOD_MS} ms (so every instance reports the same totals): machines by site and
 * state, and the outbox backlog with its oldest record's age (facts waiting for Kafka).
 */
@ApplicationScoped
public class InventoryGauges {

    private static final Logger LOG = Logger.getLogger(InventoryGauges.class);
    static final long PERIOD_MS = 10_000;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    private MultiGauge machines;
    private final AtomicLong outboxPending = new AtomicLong();
    private final AtomicLong outboxOldestSeconds = new AtomicLong();
    private long timer = -1;

    void start(@Observes StartupEvent ignored) {
        machines = MultiGauge.builder("wings_inventory_machines")
                .description("Machines in inventory, by site and state").register(registry);
        Gauge.builder("wings_inventory_outbox_pending", outboxPending, AtomicLong::get)
                .description("Facts committed and not yet acknowledged by Kafka").register(registry);
        Gauge.builder("wings_inventory_outbox_oldest_seconds", outboxOldestSeconds, AtomicLong::get)
                .description("Age of the oldest unpublished fact (0 when none)").register(registry);
        refresh();
        timer = vertx.setPeriodic(PERIOD_MS, id -> refresh());
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Counts now; also called after an import so a scrape soon after sees it. */
    public void refresh() {
        SafeContext.run(vertx, context -> count(), ignored -> { }, failure -> LOG.debugf("gauges: %s", failure));
    }

    private Uni<Void> count() {
        return Panache.withSession(() -> Panache.getSession().flatMap(s -> s
                .createNativeQuery("select site, state, count(*) from machine group by site, state", Object[].class)
                .getResultList()
                .invoke(rows -> {
                    List<MultiGauge.Row<?>> out = new ArrayList<>();
                    for (Object[] r : rows) {
                        out.add(MultiGauge.Row.of(Tags.of("site", (String) r[0], "state", (String) r[1]),
                                ((Number) r[2]).doubleValue()));
                    }
                    machines.register(out, true);
                })
                .flatMap(v -> s.createNativeQuery("select count(*), coalesce(cast(extract(epoch from now() - "
                        + "min(created_at)) as bigint), 0) from outbox", Object[].class).getSingleResult())
                .invoke(r -> {
                    outboxPending.set(((Number) r[0]).longValue());
                    outboxOldestSeconds.set(((Number) r[1]).longValue());
                }))).replaceWithVoid();
    }
}
