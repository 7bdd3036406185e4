package io.pxewings.inventory.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.EventPublisher;
import io.pxewings.events.codec.EventHeader;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Publishes the outbox in id order and deletes what the broker acknowledged. Runs after every
 * committed change ({@link #wake()}) and on a timer, so facts written while Kafka was away go out
 * when it is back. A PostgreSQL advisory lock held for the batch's transaction makes one relay
 * active at a time across instances, which keeps each machine's facts in order. Delivery is at
 * least once: a batch that fails after some sends is sent again with the same event ids.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** pg_try_advisory_xact_lock key: "wings outbox". */
    static final long LOCK = 0x77696e67736f62L;
    static final int BATCH = 500;
    /** Batches per run, so one run stays bounded and the timer gets its turn. */
    static final int MAX_BATCHES = 40;
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    static final long PERIOD_MS = 1000;

    @Inject
    Vertx vertx;

    @Inject
    EventPublisher publisher;

    @Inject
    MeterRegistry registry;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopped;
    private long timer = -1;
    private Counter published;
    private Counter failedBatches;

    void start(@Observes StartupEvent ignored) {
        published = Counter.builder("wings_inventory_outbox_published")
                .description("Outbox records the relay published and deleted").register(registry);
        failedBatches = Counter.builder("wings_inventory_outbox_failed_batches")
                .description("Relay batches that failed (broker away or timed out); retried").register(registry);
        timer = vertx.setPeriodic(PERIOD_MS, id -> wake());
    }

    void stop(@Observes ShutdownEvent ignored) {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Publish what is committed now; if a run is going, it runs once more when it ends. */
    public void wake() {
        if (stopped) {
            return;
        }
        again.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        again.set(false);
        SafeContext.run(vertx, context -> drain(context, 0), n -> {
            long stuckFor = stuck.recovered();
            if (stuckFor >= 0) {
                LOG.infof("outbox relay: working again after %d s", stuckFor);
            }
            finish();
        }, failure -> {
            failedBatches.increment();
            if (stuck.failed()) {
                LOG.warnf("outbox relay: %s; retrying every %d ms (%d failed tries in a row)", failure.toString(), PERIOD_MS,
                        stuck.failures());
            }
            finish();
        });
    }

    private final io.pxewings.common.outbox.StuckLog stuck = new io.pxewings.common.outbox.StuckLog();

    private void finish() {
        running.set(false);
        if (again.get()) {
            wake();
        }
    }

    private Uni<Integer> drain(Context context, int batches) {
        return batch(context).flatMap(n -> n == BATCH && batches + 1 < MAX_BATCHES && !stopped
                ? drain(context, batches + 1).map(m -> m + n) : Uni.createFrom().item(n));
    }

    private Uni<Integer> batch(Context context) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery("select pg_try_advisory_xact_lock(" + LOCK + ")", Boolean.class)
                .getSingleResult()
                .flatMap(locked -> Boolean.TRUE.equals(locked)
                        ? OutboxEntry.<OutboxEntry>find("order by id").page(0, BATCH).list()
                                .flatMap(entries -> publishAndDelete(entries, context))
                        : Uni.createFrom().item(0))));
    }

    private Uni<Integer> publishAndDelete(List<OutboxEntry> entries, Context context) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        // Handed to the producer in id order; its idempotent, ordered sends keep that order per key.
        List<CompletableFuture<Void>> acks = new ArrayList<>(entries.size());
        for (OutboxEntry e : entries) {
            List<EventHeader> headers = new ArrayList<>();
            e.headers.forEach((k, v) -> headers.add(new EventHeader(k, v)));
            acks.add(publisher.sendRecord(e.topic, e.recordKey, headers, e.value, e.eventType,
                    e.headers.getOrDefault("ce_id", "tombstone")).toCompletableFuture());
        }
        long last = entries.get(entries.size() - 1).id;
        return Uni.createFrom().completionStage(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)))
                .ifNoItem().after(ACK_TIMEOUT).fail()
                .emitOn(task -> context.runOnContext(v -> task.run()))
                .flatMap(ignored -> OutboxEntry.delete("id <= ?1", last))
                .invoke(() -> published.increment(entries.size()))
                .replaceWith(entries.size());
    }
}
