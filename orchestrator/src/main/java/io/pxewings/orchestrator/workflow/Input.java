package io.pxewings.orchestrator.workflow;

/** What can move a run: a fact about its machine, or its stage's deadline passing. */
public sealed interface Input {

    /** bmc-service confirmed a command ({@code bmc.command.completed}). */
    record BmcDone(String commandId) implements Input {
    }

    /** bmc-service gave a command up ({@code bmc.command.failed}), with its reason class. */
    record BmcFailed(String commandId, String reason, String message) implements Input {
    }

    /** The RAM-OS agent of a new boot reported its inventory. */
    record AgentUp(String bootId) implements Input {
    }

    /** The agent completed a task. */
    record TaskDone(String taskId, String message) implements Input {
    }

    /** The agent failed a task, with its message. */
    record TaskFailed(String taskId, String message) implements Input {
    }

    /** The installed system phoned home with the first-boot token of RAM-OS boot {@code bootId}. */
    record FirstBooted(String bootId, String hostname) implements Input {
    }

    /** The stage's deadline passed (the timer scan, never the next fact). */
    record DeadlinePassed() implements Input {
    }
}
