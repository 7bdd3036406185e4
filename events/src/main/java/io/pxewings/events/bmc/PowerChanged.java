package io.pxewings.events.bmc;

/**
 * A machine's power state as its BMC reports it differs from the one bmc-service knew.
 *
 * @param machineId the machine
 * @param from      the state known before (on, off), or null the first time
 * @param to        the state now
 * @param cause     command (read back after a command) or poll (the periodic light poll)
 * @param commandId the command behind it, or null
 */
public record PowerChanged(String machineId, String from, String to, String cause, String commandId) {
}
