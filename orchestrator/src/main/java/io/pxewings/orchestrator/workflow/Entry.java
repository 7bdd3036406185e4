package io.pxewings.orchestrator.workflow;

import java.time.Duration;
import java.util.List;

/**
 * What entering a stage does: the commands to send, what completes it, and its deadline. A
 * stage with {@code skip} has nothing to do for this run (power-on without a BMC) and is passed.
 */
public record Entry(List<Command> commands, String waitFor, Duration timeout, boolean skip) {
}
