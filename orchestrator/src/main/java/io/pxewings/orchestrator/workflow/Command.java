package io.pxewings.orchestrator.workflow;

import java.util.Map;

/** What a run asks of the other services: desired state (boot intents, agent tasks) and BMC commands. */
public sealed interface Command {

    /** The machine's boot NIC should boot {@code intent} next (wings.boot.intents). */
    record SetIntent(String intent, String reason) implements Command {
    }

    /** The agent's next task (wings.agent.tasks). */
    record AssignTask(String taskId, String kind, Map<String, String> params) implements Command {
    }

    /** No task for the agent any more (a tombstone on wings.agent.tasks). */
    record ClearTask() implements Command {
    }

    /** A command for the machine's BMC (wings.bmc.commands). */
    record Bmc(String commandId, String action, String bootDevice, Boolean persistent, Boolean efi) implements Command {
    }
}
