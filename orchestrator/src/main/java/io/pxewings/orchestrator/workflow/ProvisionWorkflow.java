package io.pxewings.orchestrator.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.pxewings.orchestrator.workflow.Command.AssignTask;
import io.pxewings.orchestrator.workflow.Command.Bmc;
import io.pxewings.orchestrator.workflow.Command.ClearTask;
import io.pxewings.orchestrator.workflow.Command.SetIntent;
import io.pxewings.orchestrator.workflow.Input.AgentUp;
import io.pxewings.orchestrator.workflow.Input.BmcDone;
import io.pxewings.orchestrator.workflow.Input.BmcFailed;
import io.pxewings.orchestrator.workflow.Input.DeadlinePassed;
import io.pxewings.orchestrator.workflow.Input.FirstBooted;
import io.pxewings.orchestrator.workflow.Input.TaskDone;
import io.pxewings.orchestrator.workflow.Input.TaskFailed;

/**
 * The built-in {@code provision} workflow, as pure decisions (no I/O: the engine stores and sends
 * what it returns). Stages, in order:
 * <ol>
 * <li>{@code power-on}: boot intent {@code ramos}, the BMC's next boot device PXE, a power cycle
 * (bmc-service powers on a machine that is off); passed for a machine without a BMC;</li>
 * <li>{@code await-agent}: the RAM-OS agent of a boot after the power cycle reports;</li>
 * <li>{@code write-image}, {@code configure}: agent tasks;</li>
 * <li>{@code hand-off}: boot intent {@code local} and the BMC's boot device disk, persistently,
 * <em>before</em> the kexec task, so any later reboot boots the installed system;</li>
 * <li>{@code await-first-boot}: the installed system phones home with this boot's token; if it does
 * not in time, one power cycle to disk, then failure;</li>
 * <li>{@code done}: the agent's task is cleared.</li>
 * </ol>
 * Success is declared only by the first boot of this run's RAM-OS boot.
 */
public final class ProvisionWorkflow {

    public static final String NAME = "provision";
    public static final List<String> STAGES = List.of("power-on", "await-agent", "write-image", "configure", "hand-off",
            "await-first-boot", "done");

    private final Map<String, Duration> timeouts;
    private final int maxStageTries;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Supplier<String> ids;

    /**
     * @param timeouts      per stage; a stage without one waits {@code PT10M}
     * @param maxStageTries tries of a stage for transient failures and timeouts
     * @param maxAttempts   tries of the whole run (a machine whose agent never came up is powered again)
     * @param ids           new command and task ids
     */
    public ProvisionWorkflow(Map<String, Duration> timeouts, int maxStageTries, int maxAttempts, Backoff backoff, Supplier<String> ids) {
        this.timeouts = Map.copyOf(timeouts);
        this.maxStageTries = maxStageTries;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.ids = ids;
    }

    public String first() {
        return STAGES.get(0);
    }

    /** The stage after {@code stage}, or null after the last. */
    public String after(String stage) {
        int i = STAGES.indexOf(stage);
        return i >= 0 && i + 1 < STAGES.size() ? STAGES.get(i + 1) : null;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    Duration timeout(String stage) {
        return timeouts.getOrDefault(stage, Duration.ofMinutes(10));
    }

    /** What entering {@code stage} does for {@code t}. */
    public Entry enter(String stage, Target t) {
        Duration timeout = timeout(stage);
        switch (stage) {
            case "power-on" -> {
                if (!t.hasBmc()) {
                    return new Entry(List.of(new SetIntent("ramos", "provision: no BMC, an operator powers it on")), null, timeout, true);
                }
                Bmc boot = new Bmc(ids.get(), "set-boot-device", "pxe", false, t.uefi());
                Bmc cycle = new Bmc(ids.get(), "power-cycle", null, null, null);
                return new Entry(List.of(new SetIntent("ramos", "provision: boot the RAM OS"), boot, cycle),
                        boot.commandId() + " " + cycle.commandId(), timeout, false);
            }
            case "write-image" -> {
                AssignTask task = new AssignTask(ids.get(), "write-image", t.write());
                return new Entry(List.of(task), task.taskId(), timeout, false);
            }
            case "configure" -> {
                AssignTask task = new AssignTask(ids.get(), "configure", Map.of("root", t.root()));
                return new Entry(List.of(task), task.taskId(), timeout, false);
            }
            case "hand-off" -> {
                List<Command> commands = new ArrayList<>();
                commands.add(new SetIntent("local", "provisioned: boot the installed system"));
                if (t.hasBmc()) {
                    commands.add(new Bmc(ids.get(), "set-boot-device", "disk", true, t.uefi()));
                }
                AssignTask task = new AssignTask(ids.get(), "kexec", new LinkedHashMap<>(t.kexec()));
                commands.add(task);
                return new Entry(commands, task.taskId(), timeout, false);
            }
            case "done" -> {
                return new Entry(List.of(new ClearTask()), null, null, false);
            }
            default -> {
                return new Entry(List.of(), null, timeout, false);   // await-agent, await-first-boot: facts complete them
            }
        }
    }

    /** What {@code input} does to a run at {@code p} (facts from earlier boots were filtered out by the engine). */
    public Outcome on(Input input, Position p, Target t) {
        String stage = p.stage();
        if (input instanceof DeadlinePassed) {
            return onDeadline(p, t);
        }
        if (input instanceof BmcDone b) {
            return stage.equals("power-on") && p.completedBy(b.commandId())
                    ? Outcome.next("bmc-service power-cycled the machine") : Outcome.ignore("not a command this stage waits for");
        }
        if (input instanceof BmcFailed b) {
            if (!p.waitsFor(b.commandId())) {
                return Outcome.ignore("not a command this stage waits for");
            }
            String why = "BMC " + b.reason() + ": " + b.message();
            return FailureClass.ofBmc(b.reason()) == FailureClass.TRANSIENT ? retryOrFail(p, why) : Outcome.fail(why);
        }
        if (input instanceof AgentUp a) {
            return switch (stage) {
                // Before the power cycle is confirmed, a report is from the boot it ends.
                case "power-on" -> Outcome.ignore("a report from before the power cycle was confirmed");
                case "await-agent" -> Outcome.nextWithBoot("the RAM-OS agent reported", a.bootId());
                // The machine booted again mid-task: the task died with the old boot; give the new boot's agent a new one.
                case "write-image", "configure" -> a.bootId() != null && !a.bootId().equals(p.bootId())
                        ? new Outcome(Outcome.Kind.RETRY, "the machine booted again during " + stage, a.bootId(), List.of(), null,
                                Duration.ZERO)
                        : Outcome.ignore("the run's own boot");
                default -> Outcome.ignore("an agent report after the hand-off");
            };
        }
        if (input instanceof TaskDone d) {
            return p.completedBy(d.taskId()) ? Outcome.next(d.message()) : Outcome.ignore("not the task this stage waits for");
        }
        if (input instanceof TaskFailed f) {
            if (!p.completedBy(f.taskId())) {
                return Outcome.ignore("not the task this stage waits for");
            }
            return switch (FailureClass.ofAgent(f.message())) {
                case DIGEST -> p.stageTry() < 2 ? Outcome.retry(f.message(), Duration.ZERO) : Outcome.fail(f.message());
                case HARDWARE -> Outcome.maintenance(f.message());
                case TRANSIENT -> retryOrFail(p, f.message());
                case PERMANENT -> Outcome.fail(f.message());
            };
        }
        FirstBooted f = (FirstBooted) input;
        return (stage.equals("hand-off") || stage.equals("await-first-boot")) && p.bootId() != null && p.bootId().equals(f.bootId())
                ? Outcome.done("the installed system phoned home" + (f.hostname() == null ? "" : " as " + f.hostname()))
                : Outcome.ignore("a first boot of another deploy");
    }

    private Outcome onDeadline(Position p, Target t) {
        String stage = p.stage();
        String late = "no answer within " + timeout(stage).toSeconds() + " s";
        switch (stage) {
            case "await-agent" -> {
                return p.attempt() < maxAttempts ? Outcome.restart("the agent did not report within " + timeout(stage).toSeconds() + " s")
                        : Outcome.fail("the agent did not report within " + timeout(stage).toSeconds() + " s, " + p.attempt() + " times");
            }
            case "await-first-boot" -> {
                if (!p.fallbackUsed() && t.hasBmc()) {
                    return Outcome.stay("no first boot within " + timeout(stage).toSeconds() + " s of the hand-off: power cycle to disk",
                            List.of(new Bmc(ids.get(), "power-cycle", null, null, null)), null);
                }
                return Outcome.fail("the installed system did not phone home" + (p.fallbackUsed() ? ", even after a power cycle to disk" : ""));
            }
            default -> {
                return retryOrFail(p, late);
            }
        }
    }

    private Outcome retryOrFail(Position p, String why) {
        return p.stageTry() < maxStageTries ? Outcome.retry(why, backoff.before(p.stageTry() + 1))
                : Outcome.fail(why + " (" + p.stageTry() + " tries)");
    }
}
