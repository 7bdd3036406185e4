package io.pxewings.bmc.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.bmc.commands.CommandRunner;
import io.pxewings.bmc.config.BmcConfig;
import io.pxewings.bmc.sessions.BmcClients;
import io.pxewings.bmc.sessions.Gates;
import io.pxewings.bmc.store.Endpoints;
import io.pxewings.bmc.store.Endpoints.Endpoint;
import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.events.codec.Traceparent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Reads each BMC's power state lightly: about once per {@code poll.interval} (5 min by default,
 * as MAAS does), every BMC at its own moment of the interval (a random offset, moved by
 * {@code poll.jitter} each round), so 10,000 BMCs are 33 reads a second, never a burst. A read
 * goes through the gate like any command: it waits behind a BMC's command, counts against the
 * global cap, and is the probe that closes an open breaker. A state that differs from the one
 * known is a {@code bmc.power.changed} fact (cause {@code poll}).
 */
@ApplicationScoped
public class PowerPoller {

    private static final Logger LOG = Logger.getLogger(PowerPoller.class);

    @Inject
    BmcConfig config;

    @Inject
    Endpoints endpoints;

    @Inject
    BmcClients clients;

    @Inject
    Gates gates;

    @Inject
    CommandRunner runner;

    @Inject
    ServiceIdentity identity;

    @Inject
    MeterRegistry registry;

    private final Map<String, Instant> due = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent e) {
        if (!config.poll().enabled()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bmc-poller");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(1000, Math.min(10_000, config.poll().interval().toMillis() / 30));
        timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    void tick() {
        try {
            Instant now = Instant.now();
            Set<String> seen = new HashSet<>();
            for (Endpoint ep : endpoints.ofSite(identity.site())) {
                seen.add(ep.machineId());
                Instant when = due.computeIfAbsent(ep.machineId(), id -> now.plusMillis(
                        ThreadLocalRandom.current().nextLong(Math.max(1, config.poll().interval().toMillis()))));
                if (!now.isBefore(when) && inFlight.add(ep.machineId())) {
                    due.put(ep.machineId(), now.plus(next()));
                    poll(ep);
                }
            }
            due.keySet().retainAll(seen);
        } catch (RuntimeException ex) {
            LOG.warnf("power poll: %s", ex.getMessage());   // the database is away: next tick
        }
    }

    private void poll(Endpoint ep) {
        java.util.concurrent.CompletableFuture.supplyAsync(() -> clients.of(ep))
                .thenCompose(bmc -> gates.run(ep, bmc::powerState))
                .whenComplete((s, err) -> {
                    inFlight.remove(ep.machineId());
                    if (err == null) {
                        runner.changed(ep.machineId(), s, "poll", null, Traceparent.newRoot());
                    }
                    Counter.builder("wings_bmc_polls").description("Light power-state reads, by protocol and outcome")
                            .tag("protocol", ep.protocol()).tag("outcome", err == null ? "ok" : "failed").register(registry).increment();
                });
    }

    /** The interval moved by up to ±jitter of itself. */
    private Duration next() {
        long interval = config.poll().interval().toMillis();
        double j = Math.max(0, Math.min(0.9, config.poll().jitter()));
        long spread = (long) (interval * j);
        return Duration.ofMillis(interval - spread + (spread == 0 ? 0 : ThreadLocalRandom.current().nextLong(2 * spread + 1)));
    }
}
