package io.pxewings.orchestrator.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workflow an operator wrote as YAML, read and checked by {@link WorkflowYaml}: what {@link DataWorkflow}
 * runs. Everything here is valid; {@code done} is not among the stages (every workflow ends with it).
 *
 * @param name        {@code [a-z][a-z0-9-]*}, not a built-in's
 * @param description what it is for, or null
 * @param image       whether a run of it needs an image (it has a stage with an image task)
 * @param running     the machine's lifecycle while a run is in progress
 * @param done        the machine's lifecycle after a run succeeded
 * @param startsFrom  the lifecycles a run may start from; empty: any but maintenance
 * @param stages      in order
 */
public record WorkflowDefinition(String name, String description, boolean image, String running, String done, Set<String> startsFrom,
                                 List<Step> stages) {

    /** The steps the engine knows by name; a stage of one of these names does what the built-ins' stage of that name does. */
    public static final List<String> BUILT_IN_STEPS = List.of("power-on", "await-agent", "await-first-boot");

    /** The agent's tasks (deploy/ram-os/rootfs/usr/bin/wings-agent) and whether their parameters come from the run's image. */
    public static final Map<String, Boolean> TASKS = Map.of("write-image", true, "configure", true, "kexec", true, "wipe", false,
            "poweroff", false, "reboot", false);

    /** bmc-service's actions (bmc-service's {@code Plan}); {@code set-boot-device} names a device. */
    public static final List<String> BMC_ACTIONS = List.of("power-on", "power-off", "power-cycle", "hard-reset", "soft-off", "set-boot-device");

    /**
     * One stage.
     *
     * @param name      unique in the workflow
     * @param intent    the boot intent it sets ({@code local}, {@code ramos}), or null
     * @param bmc       the BMC commands it sends, in order
     * @param task      the agent task it assigns, or null
     * @param params    the task's parameters (wipe and poweroff only; the image tasks' come from the run)
     * @param timeout   its deadline, or null for the orchestrator's default for a built-in step (else 10 minutes)
     * @param tries     tries for transient failures and deadlines, or 0 for the orchestrator's default
     * @param onFailure {@code fail} or {@code maintenance}: what a failure that is not retried does
     */
    public record Step(String name, String intent, List<BmcStep> bmc, String task, Map<String, String> params, Duration timeout, int tries,
                       String onFailure) {

        public boolean builtIn() {
            return BUILT_IN_STEPS.contains(name);
        }

        /** The fact that completes it: what the engine waits for. */
        public String completesOn() {
            if (task != null) {
                return "agent.task.completed";
            }
            if (!bmc.isEmpty()) {
                return "bmc.command.completed";
            }
            return switch (name) {
                case "power-on" -> "bmc.command.completed";
                case "await-agent" -> "agent.inventory.reported";
                case "await-first-boot" -> "agent.first-boot";
                default -> "nothing (passed once its intent is set)";
            };
        }
    }

    /** A BMC command of a stage: {@code action}, and for {@code set-boot-device} the device and whether it persists. */
    public record BmcStep(String action, String device, Boolean persistent) {
    }
}
