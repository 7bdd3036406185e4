package io.pxewings.orchestrator.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.pxewings.orchestrator.workflow.Command.AssignTask;
import io.pxewings.orchestrator.workflow.Command.Bmc;

/**
 * The built-in {@code deprovision} workflow: {@code power-on} and {@code await-agent} (the RAM OS,
 * see {@link Workflow}), {@code wipe} (the agent removes every disk's partition tables and
 * filesystem signatures), {@code power-off} (through the BMC; the agent's {@code poweroff} task for
 * a machine without one), {@code done}. The machine is {@code deprovisioning} meanwhile and
 * {@code ready} after; its boot intent stays {@code ramos}, so it never boots the wiped disk.
 */
public final class DeprovisionWorkflow extends Workflow {

    public static final String NAME = "deprovision";
    public static final List<String> STAGES = List.of("power-on", "await-agent", "wipe", "power-off", "done");

    public DeprovisionWorkflow(Map<String, Duration> timeouts, int maxStageTries, int maxAttempts, Backoff backoff, Supplier<String> ids) {
        super(timeouts, maxStageTries, maxAttempts, backoff, ids);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> stages() {
        return STAGES;
    }

    @Override
    protected Set<String> taskStages() {
        return Set.of("wipe");
    }

    @Override
    public String runningLifecycle() {
        return "deprovisioning";
    }

    @Override
    public String doneLifecycle() {
        return "ready";
    }

    @Override
    public boolean needsImage() {
        return false;
    }

    @Override
    protected Entry enterOwn(String stage, Target t) {
        Duration timeout = timeout(stage);
        switch (stage) {
            case "wipe" -> {
                AssignTask task = new AssignTask(ids().get(), "wipe", Map.of("mode", "metadata"));
                return new Entry(List.of(task), task.taskId(), timeout, false);
            }
            case "power-off" -> {
                if (t.hasBmc()) {
                    Bmc off = new Bmc(ids().get(), "power-off", null, null, null);
                    return new Entry(List.of(off), off.commandId(), timeout, false);
                }
                AssignTask task = new AssignTask(ids().get(), "poweroff", Map.of());
                return new Entry(List.of(task), task.taskId(), timeout, false);
            }
            default -> {
                return null;
            }
        }
    }
}
