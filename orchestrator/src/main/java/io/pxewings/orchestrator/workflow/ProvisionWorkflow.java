package io.pxewings.orchestrator.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.pxewings.orchestrator.workflow.Command.AssignTask;
import io.pxewings.orchestrator.workflow.Command.Bmc;
import io.pxewings.orchestrator.workflow.Command.SetIntent;

/**
 * The built-in {@code provision} workflow: {@code power-on}, {@code await-agent} (see
 * {@link Workflow}), then
 * <ol>
 * <li>{@code write-image}, {@code configure}: agent tasks;</li>
 * <li>{@code hand-off}: boot intent {@code local} and the BMC's boot device disk, persistently,
 * <em>before</em> the agent's {@code kexec} task, so any later reboot boots the installed system; or,
 * for a reboot to disk ({@link Target#handOff(String, boolean)}), then a BMC power cycle (the agent's
 * {@code reboot} task for a machine without a BMC);</li>
 * <li>{@code await-first-boot}: the installed system phones home with this boot's token; if it does
 * not in time, one power cycle to disk, then failure;</li>
 * <li>{@code done}.</li>
 * </ol>
 * Success is declared only by the first boot of this run's RAM-OS boot.
 */
public final class ProvisionWorkflow extends Workflow {

    public static final String NAME = "provision";
    public static final List<String> STAGES = List.of("power-on", "await-agent", "write-image", "configure", "hand-off",
            "await-first-boot", "done");

    /** The same stages, for a machine that is {@code provisioned} only: a new image over the installed one. */
    public static final String REINSTALL = "reinstall";

    private final String name;

    public ProvisionWorkflow(Map<String, Duration> timeouts, int maxStageTries, int maxAttempts, Backoff backoff, Supplier<String> ids) {
        this(NAME, timeouts, maxStageTries, maxAttempts, backoff, ids);
    }

    /** @param name {@link #NAME}, or {@link #REINSTALL} for the built-in that starts from {@code provisioned} only */
    public ProvisionWorkflow(String name, Map<String, Duration> timeouts, int maxStageTries, int maxAttempts, Backoff backoff, Supplier<String> ids) {
        super(timeouts, maxStageTries, maxAttempts, backoff, ids);
        this.name = name;
    }

    @Override
    public Set<String> startsFrom() {
        return name.equals(REINSTALL) ? Set.of("provisioned") : Set.of();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> stages() {
        return STAGES;
    }

    @Override
    protected Set<String> taskStages() {
        return Set.of("write-image", "configure");
    }

    @Override
    public String runningLifecycle() {
        return "provisioning";
    }

    @Override
    public String doneLifecycle() {
        return "provisioned";
    }

    @Override
    public boolean needsImage() {
        return true;
    }

    @Override
    protected Entry enterOwn(String stage, Target t) {
        Duration timeout = timeout(stage);
        switch (stage) {
            case "write-image" -> {
                AssignTask task = new AssignTask(ids().get(), "write-image", t.write());
                return new Entry(List.of(task), task.taskId(), timeout, false);
            }
            case "configure" -> {
                AssignTask task = new AssignTask(ids().get(), "configure", Map.of("root", t.root()));
                return new Entry(List.of(task), task.taskId(), timeout, false);
            }
            case "hand-off" -> {
                List<Command> commands = new ArrayList<>();
                commands.add(new SetIntent("local", "provisioned: boot the installed system"));
                Bmc disk = t.hasBmc() ? new Bmc(ids().get(), "set-boot-device", "disk", true, t.uefi()) : null;
                if (disk != null) {
                    commands.add(disk);
                }
                if (t.handOff().equals("reboot") && disk != null) {
                    // To disk through the BMC: the firmware boots what its boot device now names (the
                    // agent's tasks flushed and unmounted what they wrote before they reported).
                    Bmc cycle = new Bmc(ids().get(), "power-cycle", null, null, null);
                    commands.add(cycle);
                    return new Entry(commands, disk.commandId() + " " + cycle.commandId(), timeout, false);
                }
                // A reboot without a BMC is the agent's: the intent local makes the next boot the disk's.
                AssignTask task = t.handOff().equals("reboot") ? new AssignTask(ids().get(), "reboot", Map.of())
                        : new AssignTask(ids().get(), "kexec", new LinkedHashMap<>(t.kexec()));
                commands.add(task);
                return new Entry(commands, task.taskId(), timeout, false);
            }
            default -> {
                return null;
            }
        }
    }
}
