package io.pxewings.events.run;

/**
 * A machine's lifecycle state changed, as the orchestrator (its one owner) decided; inventory-service
 * records it on the machine.
 *
 * @param machineId the machine (also the key)
 * @param from      the state before, or null for a machine the orchestrator had not seen
 * @param to        discovered, inventoried, ready, provisioning, provisioned, deprovisioning, failed or maintenance
 * @param runId     the run that caused it, or null
 * @param reason    why, for people
 */
public record LifecycleChanged(String machineId, String from, String to, String runId, String reason) {

    /** The states of the lifecycle. */
    public static final java.util.List<String> STATES = java.util.List.of("discovered", "inventoried", "ready", "provisioning",
            "provisioned", "deprovisioning", "failed", "maintenance");
}
