package io.pxewings.bmc.sessions;

import java.time.Duration;
import java.time.Instant;

/**
 * One BMC's circuit breaker: after {@code failures} operations in a row that got no answer it
 * opens, and operations fail at once instead of sending to a BMC that is not there (a BMC
 * hammered while it reboots answers later still). After {@code openFor} one probe goes through
 * (half open): an answer closes it, silence opens it again for twice as long, up to
 * {@code maxOpenFor}. Only silence counts: a BMC that answers "no" is reachable.
 *
 * <p>A value object guarded by its owner (the Gate); {@link #transition} says what a result did.
 */
final class Breaker {

    enum State { CLOSED, OPEN, HALF_OPEN }

    /** What a result changed: nothing, opened (the BMC is unreachable), or closed (it is back). */
    enum Transition { NONE, OPENED, CLOSED }

    private final int threshold;
    private final Duration openFor;
    private final Duration maxOpenFor;
    private State state = State.CLOSED;
    private int failures;
    private Duration currentOpenFor;
    private Instant openUntil = Instant.MIN;
    private String lastReason;

    Breaker(int threshold, Duration openFor, Duration maxOpenFor) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.maxOpenFor = maxOpenFor;
        this.currentOpenFor = openFor;
    }

    /** May an operation go now? An open breaker past its wait lets one probe through. */
    boolean allow(Instant now) {
        if (state == State.OPEN && !now.isBefore(openUntil)) {
            state = State.HALF_OPEN;
            return true;
        }
        return state == State.CLOSED;
    }

    Transition succeeded() {
        boolean wasOpen = state != State.CLOSED;
        state = State.CLOSED;
        failures = 0;
        currentOpenFor = openFor;
        lastReason = null;
        return wasOpen ? Transition.CLOSED : Transition.NONE;
    }

    Transition unanswered(Instant now, String reason) {
        failures++;
        lastReason = reason;
        if (state == State.HALF_OPEN) {
            currentOpenFor = currentOpenFor.multipliedBy(2).compareTo(maxOpenFor) > 0 ? maxOpenFor : currentOpenFor.multipliedBy(2);
            state = State.OPEN;
            openUntil = now.plus(currentOpenFor);
            return Transition.NONE;   // still unreachable: told once, when it opened
        }
        if (state == State.CLOSED && failures >= threshold) {
            state = State.OPEN;
            openUntil = now.plus(currentOpenFor);
            return Transition.OPENED;
        }
        return Transition.NONE;
    }

    State state() {
        return state;
    }

    int failures() {
        return failures;
    }

    String lastReason() {
        return lastReason;
    }

    Instant openUntil() {
        return openUntil;
    }
}
