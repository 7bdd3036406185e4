package io.pxewings.events.bmc;

/**
 * A BMC stopped answering (its circuit breaker opened: bmc-service stops sending to it and
 * probes it now and then) or answers again (the breaker closed).
 *
 * @param machineId the machine
 * @param address   the BMC's address
 * @param protocol  ipmi or redfish
 * @param breaker   open or closed
 * @param failures  consecutive unanswered operations that opened it (0 when closed)
 * @param reason    the last failure, or null
 */
public record Reachability(String machineId, String address, String protocol, String breaker, int failures, String reason) {
}
