package io.pxewings.events.bmc;

/**
 * How a BMC command ended: {@code bmc.command.completed} once its effect is confirmed (a power
 * action only when the power state read back is the expected one), {@code bmc.command.failed}
 * with the reason otherwise. Never carries a credential.
 *
 * @param commandId  the command's id
 * @param machineId  the machine
 * @param action     the command's action
 * @param reason     null when completed; else unreachable, auth-failed, refused, unsupported,
 *                   not-confirmed, breaker-open, no-endpoint, no-credentials, interrupted, invalid
 * @param message    what happened, for an operator
 * @param attempt    the try it ended on (1 is the first)
 * @param powerState the power state read back (on, off), or null
 * @param millis     from receipt to the end
 */
public record CommandResult(String commandId, String machineId, String action, String reason, String message, int attempt,
                            String powerState, long millis) {
}
