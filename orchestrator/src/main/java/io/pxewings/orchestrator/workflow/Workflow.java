package io.pxewings.orchestrator.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

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
 * A built-in workflow as pure decisions (no I/O: the engine stores and sends what they return).
 * What the workflows share lives here: {@code power-on} (boot intent {@code ramos}, the BMC's next
 * boot device PXE, a power cycle; passed for a machine without a BMC), {@code await-agent} (the
 * RAM-OS agent of a boot after the power cycle reports), stages that wait for one agent task or
 * one BMC command, {@code done} (the agent's task cleared), and what failures and deadlines do.
 * A workflow names its stages and what entering each of its own sends.
 */
public abstract class Workflow {

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
    protected final Supplier<String> ids() {
        return ids;
    }

    protected Workflow(Map<String, Duration> timeouts, int maxStageTries, int maxAttempts, Backoff backoff, Supplier<String> ids) {
        this.timeouts = Map.copyOf(timeouts);
        this.maxStageTries = maxStageTries;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.ids = ids;
    }

    /** {@code provision}, {@code deprovision}. */
    public abstract String name();

    /** Its stages in order, {@code done} last. */
    public abstract List<String> stages();

    /** The stages completed by an agent task: a new boot during one gets the new agent a new task. */
    protected abstract java.util.Set<String> taskStages();

    /** The machine's lifecycle while a run of it is in progress, and after it succeeded. */
    public abstract String runningLifecycle();

    public abstract String doneLifecycle();

    /** Whether a run writes an image (and so needs one named). */
    public abstract boolean needsImage();

    /** The machine lifecycles a run of it may start from; empty: any (maintenance is refused for all). */
    public Set<String> startsFrom() {
        return Set.of();
    }

    /** What entering one of the workflow's own stages does, or null for a stage the base handles. */
    protected abstract Entry enterOwn(String stage, Target t);

    public String first() {
        return stages().get(0);
    }

    /**
     * What entering {@code stage} uses of its site's caps, by the stage's name in every workflow (the
     * caps count a site's runs by stage name): {@code power-on} a power-on and a BMC operation,
     * {@code write-image} an image stream, {@code power-off} a BMC operation.
     */
    public final java.util.Set<Gate> gates(String stage) {
        return switch (stage) {
            case "power-on" -> java.util.EnumSet.of(Gate.POWER_ON_RATE, Gate.BMC_OPERATIONS);
            case "write-image" -> java.util.EnumSet.of(Gate.IMAGE_STREAMS);
            case "power-off" -> java.util.EnumSet.of(Gate.BMC_OPERATIONS);
            default -> java.util.EnumSet.noneOf(Gate.class);
        };
    }

    /** The stage after {@code stage}, or null after the last. */
    public String after(String stage) {
        int i = stages().indexOf(stage);
        return i >= 0 && i + 1 < stages().size() ? stages().get(i + 1) : null;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    protected Duration timeout(String stage) {
        return timeouts.getOrDefault(stage, Duration.ofMinutes(10));
    }

    /** What entering {@code stage} does for {@code t}. */
    public Entry enter(String stage, Target t) {
        Duration timeout = timeout(stage);
        Entry own = enterOwn(stage, t);
        if (own != null) {
            return own;
        }
        switch (stage) {
            case "power-on" -> {
                if (!t.hasBmc()) {
                    return new Entry(List.of(new SetIntent("ramos", name() + ": no BMC, an operator powers it on")), null, timeout, true);
                }
                Bmc boot = new Bmc(ids.get(), "set-boot-device", "pxe", false, t.uefi());
                Bmc cycle = new Bmc(ids.get(), "power-cycle", null, null, null);
                return new Entry(List.of(new SetIntent("ramos", name() + ": boot the RAM OS"), boot, cycle),
                        boot.commandId() + " " + cycle.commandId(), timeout, false);
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
            return p.completedBy(b.commandId()) ? Outcome.next(stage.equals("power-on") ? "bmc-service power-cycled the machine"
                    : "bmc-service confirmed it") : Outcome.ignore("not a command this stage waits for");
        }
        if (input instanceof BmcFailed b) {
            if (!p.waitsFor(b.commandId())) {
                return Outcome.ignore("not a command this stage waits for");
            }
            String why = "BMC " + b.reason() + ": " + b.message();
            return FailureClass.ofBmc(b.reason()) == FailureClass.TRANSIENT ? retryOrFail(p, why) : failed(stage, why);
        }
        if (input instanceof AgentUp a) {
            if (stage.equals("power-on")) {
                return Outcome.ignore("a report from before the power cycle was confirmed");   // from the boot the cycle ends
            }
            if (stage.equals("await-agent")) {
                return Outcome.nextWithBoot("the RAM-OS agent reported", a.bootId());
            }
            if (taskStages().contains(stage) && a.bootId() != null && !a.bootId().equals(p.bootId())) {
                // The machine booted again mid-task: the task died with the old boot; give the new boot's agent a new one.
                return new Outcome(Outcome.Kind.RETRY, "the machine booted again during " + stage, a.bootId(), List.of(), null, Duration.ZERO);
            }
            return Outcome.ignore("not a report this stage waits for");
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
                case PERMANENT -> failed(stage, f.message());
            };
        }
        FirstBooted f = (FirstBooted) input;
        // The kexec task's stage may see the first boot before the task's own completion arrives.
        return (stage.equals("await-first-boot") || "await-first-boot".equals(after(stage))) && p.bootId() != null && p.bootId().equals(f.bootId())
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
        return p.stageTry() < tries(p.stage()) ? Outcome.retry(why, backoff.before(p.stageTry() + 1))
                : failed(p.stage(), why + " (" + p.stageTry() + " tries)");
    }

    /** Tries of {@code stage} for transient failures and deadlines. */
    protected int tries(String stage) {
        return maxStageTries;
    }

    /** What a failure of {@code stage} that is not tried again does: the run fails (a workflow may send the machine to maintenance). */
    protected Outcome failed(String stage, String why) {
        return Outcome.fail(why);
    }

    /** Whether a run of it may ask how to hand off ({@code kexec}, {@code reboot}, {@code auto}). */
    public boolean handsOff() {
        return false;
    }

    /** Whether a run of it needs a machine with a BMC (a stage powers through one and has no other way). */
    public boolean needsBmc() {
        return false;
    }
}
