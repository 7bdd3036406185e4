package io.pxewings.bmc.sessions;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.pxewings.bmc.bmc.BmcException;

/**
 * How bmc-service spares BMCs (the anchors' lesson: Ironic's power sync loses UDP at scale,
 * BMCs refuse logins when hammered):
 * <ul>
 * <li>one operation at a time per BMC, the rest queued behind it;</li>
 * <li>at most {@code maxConcurrent} operations in flight across all BMCs, the rest waiting for
 * a permit in arrival order;</li>
 * <li>a circuit breaker per BMC ({@link Breaker}): an operation on a BMC whose breaker is open
 * fails at once with {@code breaker-open}, and no datagram or request is sent.</li>
 * </ul>
 */
public final class Gate {

    /** Breaker transitions, to publish unreachable/reachable facts. */
    public interface Listener {
        void opened(String bmc, int failures, String reason);

        void closed(String bmc);
    }

    /** A breaker's state for the API and metrics. */
    public record BreakerView(String state, int failures, String lastReason) {
    }

    private final int maxConcurrent;
    private final int threshold;
    private final Duration openFor;
    private final Duration maxOpenFor;
    private final Clock clock;
    private final Listener listener;
    private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
    private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int inFlight;

    public Gate(int maxConcurrent, int threshold, Duration openFor, Duration maxOpenFor, Clock clock, Listener listener) {
        this.maxConcurrent = maxConcurrent;
        this.threshold = threshold;
        this.openFor = openFor;
        this.maxOpenFor = maxOpenFor;
        this.clock = clock;
        this.listener = listener;
    }

    /** Runs {@code op} on BMC {@code bmc} (its address) when its turn and a permit come. */
    public <T> CompletableFuture<T> run(String bmc, Supplier<CompletableFuture<T>> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        tails.compute(bmc, (k, tail) -> {
            CompletableFuture<?> previous = tail == null ? CompletableFuture.completedFuture(null) : tail;
            return previous.handle((v, e) -> null).thenCompose(v -> guarded(bmc, op)).whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(unwrap(e));
                } else {
                    result.complete(v);
                }
            });
        });
        return result;
    }

    private <T> CompletableFuture<T> guarded(String bmc, Supplier<CompletableFuture<T>> op) {
        Breaker b = breakers.computeIfAbsent(bmc, k -> new Breaker(threshold, openFor, maxOpenFor));
        synchronized (b) {
            if (!b.allow(clock.instant())) {
                return CompletableFuture.failedFuture(new BmcException("breaker-open", "BMC " + bmc + " is not answering (breaker open after "
                        + b.failures() + " unanswered operations; next probe at " + b.openUntil() + "): last " + b.lastReason()));
            }
        }
        return permit().thenCompose(v -> {
            CompletableFuture<T> f;
            try {
                f = op.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            return f.whenComplete((r, e) -> {
                release();
                record(bmc, b, e == null ? null : unwrap(e));
            });
        });
    }

    private void record(String bmc, Breaker b, Throwable e) {
        Breaker.Transition t;
        int failures;
        String reason;
        synchronized (b) {
            if (e instanceof BmcException be && be.unreachable()) {
                t = b.unanswered(clock.instant(), be.getMessage());
            } else {
                t = b.succeeded();   // an answer, even a refusal, proves the BMC is there
            }
            failures = b.failures();
            reason = b.lastReason();
        }
        if (t == Breaker.Transition.OPENED) {
            listener.opened(bmc, failures, reason);
        } else if (t == Breaker.Transition.CLOSED) {
            listener.closed(bmc);
        }
    }

    private synchronized CompletableFuture<Void> permit() {
        if (inFlight < maxConcurrent) {
            inFlight++;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.add(f);
        return f;
    }

    private void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        next.complete(null);   // the permit passes on
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    public BreakerView breaker(String bmc) {
        Breaker b = breakers.get(bmc);
        if (b == null) {
            return new BreakerView("closed", 0, null);
        }
        synchronized (b) {
            return new BreakerView(b.state().name().toLowerCase().replace('_', '-'), b.failures(), b.lastReason());
        }
    }

    public long openBreakers() {
        return breakers.values().stream().filter(b -> {
            synchronized (b) {
                return b.state() != Breaker.State.CLOSED;
            }
        }).count();
    }

    static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
