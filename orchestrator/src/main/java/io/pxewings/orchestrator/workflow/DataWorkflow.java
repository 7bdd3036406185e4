package io.pxewings.orchestrator.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.pxewings.orchestrator.workflow.Command.AssignTask;
import io.pxewings.orchestrator.workflow.Command.Bmc;
import io.pxewings.orchestrator.workflow.Command.SetIntent;
import io.pxewings.orchestrator.workflow.WorkflowDefinition.BmcStep;
import io.pxewings.orchestrator.workflow.WorkflowDefinition.Step;

/**
 * A workflow stored as YAML ({@link WorkflowYaml}), version {@code version}: an operator's, or one of
 * the built-ins the orchestrator ships ({@code workflows/*.yaml}). Its engine steps behave as
 * {@link Workflow} says; each stage of its own sets the boot intent it names, sends its BMC commands
 * (in order) and assigns its agent task, then what the first case of its {@code choose} that applies
 * adds, and is completed by the last of them: the task, else the last BMC command; a stage that only
 * sets an intent is passed. Its runs are named {@code name@version}, so a run keeps the version it
 * started with.
 */
public final class DataWorkflow extends Workflow {

    private final WorkflowDefinition def;
    private final int version;
    private final Map<String, Step> steps;
    private final int defaultTries;

    public DataWorkflow(WorkflowDefinition def, int version, Map<String, Duration> defaultTimeouts, int maxStageTries, int maxAttempts,
                        Backoff backoff, Supplier<String> ids) {
        super(timeouts(def, defaultTimeouts), maxStageTries, maxAttempts, backoff, ids);
        this.def = def;
        this.version = version;
        this.steps = def.stages().stream().collect(Collectors.toMap(Step::name, s -> s, (a, b) -> a, LinkedHashMap::new));
        this.defaultTries = maxStageTries;
    }

    /** A built-in step keeps the orchestrator's timeout for it unless the document gives one. */
    private static Map<String, Duration> timeouts(WorkflowDefinition def, Map<String, Duration> defaults) {
        Map<String, Duration> t = new HashMap<>();
        for (Step s : def.stages()) {
            Duration d = s.timeout() != null ? s.timeout() : defaults.get(s.name());
            if (d != null) {
                t.put(s.name(), d);
            }
        }
        return t;
    }

    public WorkflowDefinition definition() {
        return def;
    }

    public int version() {
        return version;
    }

    @Override
    public String name() {
        return def.name() + "@" + version;
    }

    @Override
    public List<String> stages() {
        List<String> names = new ArrayList<>(steps.keySet());
        names.add("done");
        return names;
    }

    /** The tasks after which the agent is gone by design: a new boot then is no reason to assign the task again. */
    private static final Set<String> LAST_TASKS = Set.of("kexec", "reboot", "poweroff");

    @Override
    protected Set<String> taskStages() {
        return def.stages().stream().filter(s -> s.tasks().anyMatch(k -> !LAST_TASKS.contains(k))).map(Step::name).collect(Collectors.toSet());
    }

    @Override
    public String runningLifecycle() {
        return def.running();
    }

    @Override
    public String doneLifecycle() {
        return def.done();
    }

    @Override
    public boolean needsImage() {
        return def.image();
    }

    @Override
    public Set<String> startsFrom() {
        return def.startsFrom();
    }

    /** A stage that sends BMC commands but, on a machine without a BMC, no task (for either hand-off) would do nothing there. */
    @Override
    public boolean needsBmc() {
        return def.stages().stream().filter(s -> !s.builtIn() && s.usesBmc() && s.task() == null)
                .anyMatch(s -> Target.HAND_OFFS.stream().skip(1).anyMatch(h -> {
                    WorkflowDefinition.Case c = s.caseFor(false, h);
                    return c == null || c.task() == null;
                }));
    }

    /** Whether a case of it depends on the run's hand-off, so a run of it may ask for one. */
    @Override
    public boolean handsOff() {
        return def.stages().stream().flatMap(s -> s.cases().stream()).anyMatch(c -> c.whenHandOff() != null);
    }

    @Override
    protected int tries(String stage) {
        Step s = steps.get(stage);
        return s != null && s.tries() > 0 ? s.tries() : defaultTries;
    }

    @Override
    protected Outcome failed(String stage, String why) {
        Step s = steps.get(stage);
        return s != null && s.onFailure().equals("maintenance") ? Outcome.maintenance(why) : Outcome.fail(why);
    }

    @Override
    protected Entry enterOwn(String stage, Target t) {
        Step s = steps.get(stage);
        if (s == null || s.builtIn()) {
            return null;
        }
        List<Command> commands = new ArrayList<>();
        List<String> waits = new ArrayList<>();
        if (s.intent() != null) {
            commands.add(new SetIntent(s.intent(), name() + ": " + stage));
        }
        if (t.hasBmc()) {
            for (BmcStep b : s.bmc()) {
                Bmc cmd = bmc(b, t);
                commands.add(cmd);
                waits.add(cmd.commandId());
            }
        }
        WorkflowDefinition.Case c = s.caseFor(t.hasBmc(), t.handOff());
        if (c != null && t.hasBmc()) {
            for (BmcStep b : c.bmc()) {
                Bmc cmd = bmc(b, t);
                commands.add(cmd);
                waits.add(cmd.commandId());
            }
        }
        String kind = s.task() != null ? s.task() : c == null ? null : c.task();
        if (kind != null) {
            AssignTask task = new AssignTask(ids().get(), kind, params(kind, s.task() != null ? s.params() : c.params(), t));
            commands.add(task);
            waits.add(task.taskId());
        }
        if (waits.isEmpty()) {
            return new Entry(commands, null, timeout(stage), true);   // an intent only: set, and passed
        }
        return new Entry(commands, String.join(" ", waits), timeout(stage), false);
    }

    private Bmc bmc(BmcStep b, Target t) {
        return new Bmc(ids().get(), b.action(), b.device(), b.device() == null ? null : Boolean.TRUE.equals(b.persistent()),
                b.device() == null ? null : t.uefi());
    }

    private static Map<String, String> params(String task, Map<String, String> given, Target t) {
        return switch (task) {
            case "write-image" -> t.write();
            case "configure" -> Map.of("root", t.root());
            case "kexec" -> new LinkedHashMap<>(t.kexec());
            default -> given;
        };
    }
}
