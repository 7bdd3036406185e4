package io.pxewings.bmc.commands;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pxewings.bmc.bmc.Bmc;
import io.pxewings.bmc.bmc.BmcException;
import io.pxewings.bmc.bmc.BootTarget;
import io.pxewings.bmc.bmc.PowerAction;
import io.pxewings.bmc.bmc.PowerState;
import io.pxewings.bmc.config.BmcConfig;
import io.pxewings.bmc.facts.BmcFacts;
import io.pxewings.bmc.sessions.BmcClients;
import io.pxewings.bmc.sessions.Gates;
import io.pxewings.bmc.store.CommandLog;
import io.pxewings.bmc.store.Endpoints;
import io.pxewings.bmc.store.Endpoints.Endpoint;
import io.pxewings.bmc.store.PowerStates;
import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.events.bmc.BmcCommand;
import io.pxewings.events.bmc.CommandResult;
import io.pxewings.events.bmc.PowerChanged;
import io.pxewings.events.codec.Traceparent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Carries out BMC commands: claims each id once in the command log, runs it through the
 * {@link Gates} (one at a time per BMC, a global cap, the breaker), confirms its effect by
 * reading the BMC back, retries what is safe to retry when the BMC did not answer, and publishes
 * exactly one result fact. Power actions are confirmed by the power state read back within
 * {@code confirm-timeout}: a BMC that said yes while the power did not change is a failure.
 */
@ApplicationScoped
public class CommandRunner {

    private static final Logger LOG = Logger.getLogger(CommandRunner.class);

    @Inject
    BmcConfig config;

    @Inject
    Endpoints endpoints;

    @Inject
    CommandLog log;

    @Inject
    PowerStates powerStates;

    @Inject
    BmcClients clients;

    @Inject
    Gates gates;

    @Inject
    BmcFacts facts;

    @Inject
    ServiceIdentity identity;

    @Inject
    MeterRegistry registry;

    /** The try each command in flight is on, for its result fact. */
    private final java.util.Map<String, Integer> attempts = new java.util.concurrent.ConcurrentHashMap<>();

    /** Database work and waits between tries: BMC I/O itself is asynchronous. */
    private ExecutorService workers;
    private java.util.concurrent.ScheduledExecutorService timer;

    void start(@Observes StartupEvent e) {
        workers = Executors.newFixedThreadPool(4, daemon("bmc-commands"));
        timer = Executors.newSingleThreadScheduledExecutor(daemon("bmc-commands-timer"));
        // Commands this instance was running when it stopped: interrupted, and never run twice.
        for (CommandLog.Entry c : log.runningOf(identity.instance())) {
            String message = "interrupted: bmc-service instance " + identity.instance() + " stopped while carrying it out; not run again";
            log.finish(c.commandId(), false, "interrupted", message, null);
            facts.failed(new CommandResult(c.commandId(), c.machineId(), c.action(), "interrupted", message, c.attempt(), null,
                    Duration.between(c.receivedAt(), Instant.now()).toMillis()), Traceparent.newRoot());
            LOG.warnf("command %s (%s on %s) %s", c.commandId(), c.action(), c.machineId(), message);
        }
    }

    void stop(@Observes ShutdownEvent e) throws InterruptedException {
        if (workers != null) {
            workers.shutdown();
            workers.awaitTermination(5, TimeUnit.SECONDS);
            timer.shutdownNow();
        }
    }

    /**
     * Takes a command on: records it (or finds it was seen before, then does nothing) and starts
     * it. Returns once it is recorded, not when it is done: a slow BMC never holds up the topic.
     *
     * @return false when the command was seen before
     */
    public boolean accept(BmcCommand c, Traceparent trace) {
        Instant received = Instant.now();
        Plan plan;
        try {
            plan = Plan.of(c);
        } catch (IllegalArgumentException invalid) {
            count(c.action(), "invalid");
            String id = c.commandId() == null ? "" : c.commandId();
            facts.failed(new CommandResult(id, c.machineId(), c.action(), "invalid", invalid.getMessage(), 0, null, 0), trace);
            return true;
        }
        if (!log.claim(c.commandId(), c.machineId(), c.action(), c.requestedBy(), identity.instance())) {
            count(c.action(), "duplicate");
            LOG.debugf("command %s seen before: not carried out again", c.commandId());
            return false;
        }
        if (c.notAfter() != null && received.isAfter(c.notAfter())) {
            // Its caller stopped waiting for Kafka's acknowledgement at notAfter and was told it was
            // not taken (bmc-service's API): carried out now, it would surprise everyone.
            finish(c, plan, received, null, new BmcException("expired", "received " + Duration.between(c.notAfter(), received).toMillis()
                    + " ms after its deadline " + c.notAfter() + " (it waited in a producer while Kafka was away?): not carried out"), trace);
            return true;
        }
        CompletableFuture.supplyAsync(() -> endpoints.get(c.machineId()), workers)
                .thenCompose(e -> e.map(ep -> attempt(c, plan, ep, 1, trace))
                        .orElseGet(() -> CompletableFuture.failedFuture(new BmcException("no-endpoint", "machine " + c.machineId()
                                + " has no BMC endpoint in inventory"))))
                .whenCompleteAsync((state, err) -> finish(c, plan, received, state, err, trace), workers);
        return true;
    }

    /** One try; on no answer, the next after a doubling wait, when the plan allows it. */
    private CompletableFuture<Optional<PowerState>> attempt(BmcCommand c, Plan plan, Endpoint e, int n, Traceparent trace) {
        log.attempt(c.commandId(), n);
        attempts.put(c.commandId(), n);
        return CompletableFuture.supplyAsync(() -> clients.of(e), workers)
                .thenCompose(bmc -> execute(plan, e, bmc, c, trace))
                .handle((s, err) -> {
                    if (err == null) {
                        return CompletableFuture.completedFuture(s);
                    }
                    Throwable cause = unwrap(err);
                    boolean unanswered = cause instanceof BmcException b && b.unreachable();
                    if (unanswered && plan.retryable() && n < config.commandAttempts()) {
                        long wait = config.retryBackoff().toMillis() << (n - 1);
                        return later(wait).thenCompose(v -> attempt(c, plan, e, n + 1, trace));
                    }
                    if (unanswered && !plan.retryable()) {
                        return CompletableFuture.<Optional<PowerState>>failedFuture(new BmcException("unreachable", cause.getMessage()
                                + "; not sent again: a " + plan.action() + " that went unanswered may have been carried out"));
                    }
                    return CompletableFuture.<Optional<PowerState>>failedFuture(cause);
                }).thenCompose(f -> f);
    }

    private CompletableFuture<Optional<PowerState>> execute(Plan plan, Endpoint e, Bmc bmc, BmcCommand c, Traceparent trace) {
        Timer.Sample sample = Timer.start(registry);
        CompletableFuture<Optional<PowerState>> work;
        if (plan.power().isPresent()) {
            PowerAction action = plan.power().get();
            work = gates.run(e, () -> bmc.power(action))
                    .thenCompose(v -> confirm(e, bmc, action.expected(), Instant.now().plus(config.confirmTimeout())))
                    .thenApply(s -> {
                        changed(e.machineId(), s, "command", c.commandId(), trace);
                        return Optional.of(s);
                    });
        } else if (plan.boot().isPresent()) {
            BootTarget target = plan.boot().get();
            work = gates.run(e, () -> bmc.bootDevice(target).thenCompose(v -> bmc.bootDeviceNow())).thenApply(now -> {
                if (now.device() != target.device()) {
                    throw new BmcException("not-confirmed", "the BMC accepted boot device " + target.device().wire() + " but reports "
                            + now.device().wire());
                }
                return Optional.empty();
            });
        } else if (plan.mediaUrl().isPresent()) {
            work = gates.run(e, () -> bmc.insertMedia(plan.mediaUrl().get())).thenApply(v -> Optional.empty());
        } else if (plan.action().equals("eject-media")) {
            work = gates.run(e, bmc::ejectMedia).thenApply(v -> Optional.empty());
        } else {
            work = gates.run(e, bmc::powerState).thenApply(s -> {
                changed(e.machineId(), s, "command", c.commandId(), trace);
                return Optional.of(s);
            });
        }
        return work.whenComplete((v, err) -> sample.stop(Timer.builder("wings_bmc_operation_seconds")
                .description("BMC operations, confirmation included, by protocol, operation and outcome")
                .tag("protocol", e.protocol()).tag("operation", plan.action())
                .tag("outcome", err == null ? "ok" : reason(unwrap(err))).publishPercentileHistogram().register(registry)));
    }

    /** Reads the power state until it is {@code expected} or the deadline passes. */
    private CompletableFuture<PowerState> confirm(Endpoint e, Bmc bmc, PowerState expected, Instant deadline) {
        return gates.run(e, bmc::powerState).thenCompose(s -> {
            if (s == expected) {
                return CompletableFuture.completedFuture(s);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new BmcException("not-confirmed", "the BMC accepted the command but the power is still " + s.wire() + " after "
                        + config.confirmTimeout().toSeconds() + " s (expected " + expected.wire() + ")");
            }
            return later(config.confirmInterval().toMillis()).thenCompose(v -> confirm(e, bmc, expected, deadline));
        });
    }

    /** Records a power state read; publishes power.changed when it differs from the one known. */
    public void changed(String machineId, PowerState s, String cause, String commandId, Traceparent trace) {
        CompletableFuture.runAsync(() -> {
            Optional<PowerStates.Known> before = powerStates.record(machineId, s.wire());
            if (before.isEmpty() || !before.get().state().equals(s.wire())) {
                facts.powerChanged(new PowerChanged(machineId, before.map(PowerStates.Known::state).orElse(null), s.wire(), cause, commandId),
                        trace);
            }
        }, workers);
    }

    private void finish(BmcCommand c, Plan plan, Instant received, Optional<PowerState> state, Throwable err, Traceparent trace) {
        long millis = Duration.between(received, Instant.now()).toMillis();
        int attempt = attempts.getOrDefault(c.commandId(), 1);
        attempts.remove(c.commandId());
        String power = state != null && state.isPresent() ? state.get().wire() : null;
        try {
            if (err == null) {
                String message = plan.action() + " done" + (power == null ? "" : ", power " + power);
                log.finish(c.commandId(), true, null, message, power);
                facts.completed(new CommandResult(c.commandId(), c.machineId(), c.action(), null, message, attempt, power, millis), trace);
                count(c.action(), "completed");
            } else {
                Throwable cause = unwrap(err);
                String reason = reason(cause);
                String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
                log.finish(c.commandId(), false, reason, message, null);
                facts.failed(new CommandResult(c.commandId(), c.machineId(), c.action(), reason, message, attempt, null, millis), trace);
                count(c.action(), "failed");
                Counter.builder("wings_bmc_command_failures").description("BMC commands failed, by action and reason")
                        .tag("action", c.action()).tag("reason", reason).register(registry).increment();
                LOG.infof("command %s: %s on machine %s failed (%s, attempt %d): %s", c.commandId(), c.action(), c.machineId(), reason,
                        attempt, message);
            }
        } catch (RuntimeException e) {
            // The database is away: the row stays "running" and is failed as interrupted at the next start.
            LOG.errorf("command %s: result not recorded: %s", c.commandId(), e.getMessage());
        }
    }

    private void count(String action, String outcome) {
        Counter.builder("wings_bmc_commands").description("BMC commands taken, by action and outcome (completed, failed, duplicate, invalid)")
                .tag("action", action == null ? "" : action).tag("outcome", outcome).register(registry).increment();
    }

    private CompletableFuture<Void> later(long millis) {
        return CompletableFuture.runAsync(() -> { }, r -> timer.schedule(r, millis, TimeUnit.MILLISECONDS));
    }

    static String reason(Throwable e) {
        if (e instanceof BmcException b) {
            return b.reason();
        }
        if (e instanceof io.pxewings.bmc.vault.Vault.VaultException) {
            return "no-credentials";
        }
        return "error";
    }

    static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
