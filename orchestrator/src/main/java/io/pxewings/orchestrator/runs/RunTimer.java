package io.pxewings.orchestrator.runs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.EventPublisher;
import io.pxewings.common.outbox.OutboxRelay;
import io.pxewings.orchestrator.config.OrchestratorConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The clock of runs: every period it fires due deadlines (durable, in the table: a deadline fires
 * whether or not another fact comes, and after a restart) and admits queued runs where a site has
 * room; the outbox relay sends what runs decided. Applied-fact ids older than a week are dropped
 * (topics keep facts for at most 30 days, and a redelivery comes within minutes).
 */
@ApplicationScoped
public class RunTimer {

    private static final Logger LOG = Logger.getLogger(RunTimer.class);

    @Inject
    RunEngine engine;

    @Inject
    DataSource db;

    @Inject
    EventPublisher publisher;

    @Inject
    OrchestratorConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    SiteGates gates;

    private final java.util.concurrent.atomic.AtomicBoolean roundAsked = new java.util.concurrent.atomic.AtomicBoolean();
    private ScheduledExecutorService timer;
    private OutboxRelay relay;
    private long rounds;

    void start(@Observes StartupEvent e) {
        relay = new OutboxRelay(db, publisher, "orchestrator-outbox",
                age -> registry.timer("wings_orchestrator_outbox_delay").record(age, TimeUnit.MILLISECONDS));
        relay.start(100);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orchestrator-runs-timer");
            t.setDaemon(true);
            return t;
        });
        long period = config.timerPeriod().toMillis();
        timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (timer != null) {
            timer.shutdown();
        }
        if (relay != null) {
            relay.stop();
        }
    }

    /** One round; public for tests that do not wait for the clock. */
    public void tick() {
        try {
            int fired = engine.fireDeadlines();
            int admitted = engine.admitQueued();
            if (fired + admitted > 0) {
                relay.nudge();
                LOG.debugf("runs timer: %d deadlines fired, %d runs admitted", fired, admitted);
            }
            if (++rounds % 3600 == 0) {
                try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(
                        "DELETE FROM processed_fact WHERE at < now() - interval '7 days'")) {
                    q.executeUpdate();
                }
            }
        } catch (Exception ex) {
            LOG.warnf("runs timer: %s (next round in %s)", ex.getMessage(), config.timerPeriod());
        }
    }

    /**
     * A relay round soon: a transaction just committed outbox rows. And a timer round soon if it
     * woke a waiter at a site's cap: a slot handed on at the next period would sit idle for up to
     * a period each time (with 200 ms BMC operations and a 1 s period, most of the time).
     */
    public void nudge() {
        if (relay != null) {
            relay.nudge();
        }
        if (timer != null && gates.takeWoken() && roundAsked.compareAndSet(false, true)) {
            try {
                timer.execute(() -> {
                    roundAsked.set(false);
                    try {
                        engine.fireDeadlines();   // only the woken waiters: admission, a scan of every site, keeps its period
                    } catch (Exception ex) {
                        LOG.warnf("runs timer: %s (next round in %s)", ex.getMessage(), config.timerPeriod());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                roundAsked.set(false);
            }
        }
    }

    /** Sends the outbox now (tests). */
    public int relay() {
        return relay.relay();
    }
}
