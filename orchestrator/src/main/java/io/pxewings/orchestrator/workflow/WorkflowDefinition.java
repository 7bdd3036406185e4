package io.pxewings.orchestrator.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workflow written as YAML (an operator's, or a built-in's shipped in {@code workflows/}), read and
 * checked by {@link WorkflowYaml}: what {@link DataWorkflow} runs. Everything here is valid;
 * {@code done} is not among the stages (every workflow ends with it).
 *
 * @param name        {@code [a-z][a-z0-9-]*}; an operator's is not a built-in's
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
     * @param cases     what it sends besides, by machine and run ({@code choose}): the first case that applies, if any
     */
    public record Step(String name, String intent, List<BmcStep> bmc, String task, Map<String, String> params, Duration timeout, int tries,
                       String onFailure, List<Case> cases) {

        /** The tasks it may assign: its own and its cases'. */
        public java.util.stream.Stream<String> tasks() {
            return java.util.stream.Stream.concat(java.util.stream.Stream.ofNullable(task), cases.stream().map(Case::task).filter(java.util.Objects::nonNull));
        }

        /** Whether it may send BMC commands: its own or a case's. */
        public boolean usesBmc() {
            return !bmc.isEmpty() || cases.stream().anyMatch(c -> !c.bmc().isEmpty());
        }

        /** The case that applies to a machine with or without a BMC and a run that hands off by {@code handOff}, or null. */
        public Case caseFor(boolean hasBmc, String handOff) {
            for (Case c : cases) {
                if ((c.whenBmc() == null || c.whenBmc() == hasBmc) && (c.whenHandOff() == null || c.whenHandOff().equals(handOff))) {
                    return c;
                }
            }
            return null;
        }

        public boolean builtIn() {
            return BUILT_IN_STEPS.contains(name);
        }

        /** The fact that completes it: what the engine waits for. */
        public String completesOn() {
            if (!cases.isEmpty()) {
                return "by case: " + (task != null || cases.stream().allMatch(c -> c.task() != null) ? "agent.task.completed"
                        : "agent.task.completed when the case assigns a task, else bmc.command.completed");
            }
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

    /**
     * One case of a stage's {@code choose}: it applies when each condition it names holds, and then
     * its BMC commands (after the stage's own) and its task are sent too.
     *
     * @param whenBmc     {@code true}: the machine has a BMC; {@code false}: it has none; null: either
     * @param whenHandOff {@code kexec} or {@code reboot}: the run's hand-off (asked, or {@code auto} picked by firmware); null: either
     * @param bmc         sent to machines with a BMC only, so a case with any says {@code bmc: true}
     * @param task        the agent task, or null
     * @param params      the task's parameters (wipe only)
     */
    public record Case(Boolean whenBmc, String whenHandOff, List<BmcStep> bmc, String task, Map<String, String> params) {
    }

    /** A BMC command of a stage: {@code action}, and for {@code set-boot-device} the device and whether it persists. */
    public record BmcStep(String action, String device, Boolean persistent) {
    }
}
