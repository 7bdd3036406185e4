package io.pxewings.orchestrator.workflow;

import java.time.Duration;
import java.util.List;

/**
 * What an input does to a run: nothing ({@code IGNORE}, counted), move to the next stage, try the
 * stage again after {@code backoff}, start the whole run again from its first stage (a new
 * attempt), extend the stage with more commands ({@code STAY}), or end the
 * run (failed; failed into maintenance for hardware errors; done).
 *
 * @param kind      what happens
 * @param reason    why, for the history and the error
 * @param bootId    the RAM-OS boot the run now runs in, when the input named one
 * @param commands  for {@code STAY}: commands to send now
 * @param waitFor   for {@code STAY}: what the stage waits for from now on
 * @param backoff   for {@code RETRY}: how long before the stage is entered again
 */
public record Outcome(Kind kind, String reason, String bootId, List<Command> commands, String waitFor, Duration backoff) {

    public enum Kind { IGNORE, NEXT, RETRY, RESTART, STAY, FAIL, MAINTENANCE, DONE }

    public static Outcome ignore(String why) {
        return new Outcome(Kind.IGNORE, why, null, List.of(), null, null);
    }

    public static Outcome next(String why) {
        return new Outcome(Kind.NEXT, why, null, List.of(), null, null);
    }

    public static Outcome nextWithBoot(String why, String bootId) {
        return new Outcome(Kind.NEXT, why, bootId, List.of(), null, null);
    }

    public static Outcome retry(String why, Duration backoff) {
        return new Outcome(Kind.RETRY, why, null, List.of(), null, backoff);
    }

    public static Outcome restart(String why) {
        return new Outcome(Kind.RESTART, why, null, List.of(), null, null);
    }

    public static Outcome stay(String why, List<Command> commands, String waitFor) {
        return new Outcome(Kind.STAY, why, null, commands, waitFor, null);
    }

    public static Outcome fail(String why) {
        return new Outcome(Kind.FAIL, why, null, List.of(), null, null);
    }

    public static Outcome maintenance(String why) {
        return new Outcome(Kind.MAINTENANCE, why, null, List.of(), null, null);
    }

    public static Outcome done(String why) {
        return new Outcome(Kind.DONE, why, null, List.of(), null, null);
    }
}
