package io.pxewings.common.outbox;

import java.util.concurrent.TimeUnit;

/**
 * When a relay that retries every round should say it is stuck: at its first failed round, then
 * once a minute, and once when it works again. A database or broker away for an hour must not
 * write a line per round (the failed rounds are counted in a metric already).
 */
public final class StuckLog {

    private static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private int failures;
    private long since;
    private long lastSaid;

    /** A round failed; true when this one should be logged. */
    public synchronized boolean failed() {
        long now = System.nanoTime();
        if (failures++ == 0) {
            since = now;
        } else if (now - lastSaid <= EVERY_NANOS) {
            return false;
        }
        lastSaid = now;
        return true;
    }

    /** Failed rounds in a row so far. */
    public synchronized int failures() {
        return failures;
    }

    /** A round worked: the seconds it had been stuck, or -1 when it was not stuck. */
    public synchronized long recovered() {
        if (failures == 0) {
            return -1;
        }
        failures = 0;
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
    }
}
