package io.pxewings.orchestrator.workflow;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Jittered exponential backoff between tries of a stage: {@code base * 2^(try-1)}, capped, then a
 * uniform draw between half and all of it ("equal jitter"), so machines that failed together (a
 * switch flapping under a rack) do not come back together.
 */
public record Backoff(Duration base, Duration cap, RandomGenerator random) {

    /** The wait before try {@code nextTry} (2 for the first retry). */
    public Duration before(int nextTry) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(20, Math.max(0, nextTry - 2)));
        long half = ceiling / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }
}
