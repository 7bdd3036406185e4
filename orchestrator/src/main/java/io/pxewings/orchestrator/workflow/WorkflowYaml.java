package io.pxewings.orchestrator.workflow;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.pxewings.orchestrator.workflow.WorkflowDefinition.BmcStep;
import io.pxewings.orchestrator.workflow.WorkflowDefinition.Step;

/**
 * Reads a workflow written as YAML (the format is in orchestrator/README.md, "Workflows as data") and
 * checks all of it before anything is stored: every problem is reported at once, by path
 * ({@code stages[2].task}), so an operator fixes a document in one round. What is checked is what
 * the engine relies on: the RAM-OS agent's tasks come after {@code await-agent}, which comes right
 * after {@code power-on} (facts of an earlier boot are told apart from the power cycle's);
 * {@code await-first-boot} right after the stage that sends the kexec task; the stage that writes the
 * image is named {@code write-image}, because the site's image-stream cap counts runs by stage name.
 */
public final class WorkflowYaml {

    public static final List<String> BUILT_IN_NAMES = List.of("provision", "reinstall", "inventory", "deprovision");
    public static final List<String> LIFECYCLES = List.of("discovered", "inventoried", "ready", "provisioning", "provisioned",
            "deprovisioning", "failed", "maintenance");

    private static final Set<String> TOP_KEYS = Set.of("name", "description", "lifecycle", "starts-from", "stages");
    private static final Set<String> STAGE_KEYS = Set.of("name", "intent", "bmc", "task", "params", "timeout", "retry", "on-failure",
            "completes-on", "choose");
    private static final Set<String> CASE_KEYS = Set.of("when", "bmc", "task", "params");
    private static final Set<String> HAND_OFFS = Set.of("kexec", "reboot");
    private static final Set<String> WIPE_MODES = Set.of("metadata", "zero", "discard");
    private static final Duration LONGEST = Duration.ofDays(2);
    private static final YAMLMapper YAML = new YAMLMapper();

    private final List<String> problems = new ArrayList<>();
    private final boolean shipped;

    private WorkflowYaml(boolean shipped) {
        this.shipped = shipped;
    }

    /** The workflow {@code yaml} describes; {@link InvalidWorkflow} with every problem if it is not one. */
    public static WorkflowDefinition read(String yaml) {
        return read(yaml, false);
    }

    /**
     * The same, for a built-in's document as the orchestrator ships it: the only difference is that it
     * may have a built-in's name (an operator's upload may not, so it cannot replace one).
     */
    public static WorkflowDefinition readShipped(String yaml) {
        return read(yaml, true);
    }

    private static WorkflowDefinition read(String yaml, boolean shipped) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml == null ? "" : yaml);
        } catch (IOException e) {
            throw new InvalidWorkflow(List.of("not YAML: " + firstLine(e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidWorkflow(List.of("the document must be a mapping with name, lifecycle and stages"));
        }
        return new WorkflowYaml(shipped).definition(root);
    }

    private WorkflowDefinition definition(JsonNode root) {
        unknownKeys(root, TOP_KEYS, "");
        String name = text(root, "name", "name");
        if (name == null) {
            problems.add("name: required");
        } else if (!name.matches("[a-z][a-z0-9-]{0,62}")) {
            problems.add("name: lower-case letters, digits and '-', starting with a letter, at most 63 characters");
        } else if (BUILT_IN_NAMES.contains(name) && !shipped) {
            problems.add("name: '" + name + "' is a built-in workflow's; choose another");
        }
        String description = text(root, "description", "description");
        JsonNode lifecycle = root.get("lifecycle");
        String running = null;
        String done = null;
        if (lifecycle == null || !lifecycle.isObject()) {
            problems.add("lifecycle: required, a mapping with running and done");
        } else {
            unknownKeys(lifecycle, Set.of("running", "done"), "lifecycle.");
            running = oneOf(lifecycle, "running", "lifecycle.running", List.of("discovered", "provisioning", "deprovisioning"), true);
            done = oneOf(lifecycle, "done", "lifecycle.done", List.of("inventoried", "ready", "provisioned"), true);
        }
        Set<String> startsFrom = new LinkedHashSet<>();
        JsonNode from = root.get("starts-from");
        if (from != null) {
            if (!from.isArray()) {
                problems.add("starts-from: a list of lifecycles");
            } else {
                for (JsonNode f : from) {
                    if (!f.isTextual() || !LIFECYCLES.contains(f.asText()) || f.asText().equals("maintenance")) {
                        problems.add("starts-from: '" + f.asText() + "' is none of " + LIFECYCLES.subList(0, 7));
                    } else {
                        startsFrom.add(f.asText());
                    }
                }
            }
        }
        List<Step> stages = stages(root.get("stages"));
        order(stages);
        boolean image = stages.stream().flatMap(Step::tasks).anyMatch(WorkflowDefinition.TASKS::get);
        if (!problems.isEmpty()) {
            throw new InvalidWorkflow(problems);
        }
        return new WorkflowDefinition(name, description, image, running, done, Set.copyOf(startsFrom), List.copyOf(stages));
    }

    private List<Step> stages(JsonNode node) {
        List<Step> out = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            problems.add("stages: required, a list of at least one stage");
            return out;
        }
        if (node.size() > 50) {
            problems.add("stages: at most 50");
            return out;
        }
        Set<String> seen = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode s : node) {
            String at = "stages[" + i++ + "]";
            Step step = s.isTextual() ? builtIn(s.asText(), at) : s.isObject() ? stage(s, at) : null;
            if (step == null) {
                if (!s.isTextual() && !s.isObject()) {
                    problems.add(at + ": a built-in step's name or a mapping");
                }
                continue;
            }
            if (!seen.add(step.name())) {
                problems.add(at + ".name: '" + step.name() + "' is used twice");
            }
            out.add(step);
        }
        return out;
    }

    private Step builtIn(String name, String at) {
        if (!WorkflowDefinition.BUILT_IN_STEPS.contains(name)) {
            problems.add(at + ": '" + name + "' is no built-in step (" + WorkflowDefinition.BUILT_IN_STEPS + "); a stage of your own is a mapping");
            return null;
        }
        return new Step(name, null, List.of(), null, Map.of(), null, 0, "fail", List.of());
    }

    private Step stage(JsonNode s, String at) {
        unknownKeys(s, STAGE_KEYS, at + ".");
        String name = text(s, "name", at + ".name");
        if (name == null) {
            if (!s.hasNonNull("name")) {
                problems.add(at + ".name: required");
            }
            return null;   // not a string: said already (YAML reads a bare off or no as a boolean)
        }
        if (!name.matches("[a-z][a-z0-9-]{0,62}") || name.equals("done") || name.equals("admit")) {
            problems.add(at + ".name: '" + name + "' is not a stage name ([a-z][a-z0-9-]*; 'admit' and 'done' are the engine's)");
        }
        boolean builtIn = WorkflowDefinition.BUILT_IN_STEPS.contains(name);
        String intent = oneOf(s, "intent", at + ".intent", List.of("local", "ramos"), false);
        List<BmcStep> bmc = bmc(s.get("bmc"), at + ".bmc");
        String task = oneOf(s, "task", at + ".task", List.copyOf(new java.util.TreeSet<>(WorkflowDefinition.TASKS.keySet())), false);
        // A task named wrongly was said already: what depends on it is not checked, so one mistake is one problem.
        boolean badTask = s.hasNonNull("task") && task == null;
        Map<String, String> params = badTask ? Map.of() : params(s.get("params"), task, at + ".params");
        List<WorkflowDefinition.Case> cases = cases(s.get("choose"), task, at + ".choose");
        if (builtIn && (intent != null || !bmc.isEmpty() || task != null || s.has("params") || s.has("choose"))) {
            problems.add(at + ": '" + name + "' is a built-in step: give it a timeout, a retry or an on-failure, nothing to send");
        }
        if (!builtIn && !badTask && intent == null && bmc.isEmpty() && task == null && cases.isEmpty() && !s.has("choose")) {
            problems.add(at + ": stage '" + name + "' sends nothing: set an intent, bmc commands, a task or a choose");
        }
        boolean writes = "write-image".equals(task) || cases.stream().anyMatch(c -> "write-image".equals(c.task()));
        if (writes != "write-image".equals(name)) {
            problems.add(at + ": the write-image task goes in a stage named write-image, and only there (the site's image-stream cap counts"
                    + " runs by stage name)");
        }
        Duration timeout = null;
        if (s.has("timeout")) {
            try {
                timeout = Duration.parse(s.get("timeout").asText());
                if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(LONGEST) > 0) {
                    problems.add(at + ".timeout: between PT1S and P2D");
                }
            } catch (DateTimeParseException e) {
                problems.add(at + ".timeout: an ISO-8601 duration such as PT15M");
            }
        }
        int tries = 0;
        if (s.has("retry")) {
            JsonNode r = s.get("retry");
            if (!r.canConvertToInt() || !r.isIntegralNumber() || r.asInt() < 1 || r.asInt() > 10) {
                problems.add(at + ".retry: the number of tries for transient failures and deadlines, 1 to 10");
            } else {
                tries = r.asInt();
            }
        }
        String onFailure = oneOf(s, "on-failure", at + ".on-failure", List.of("fail", "maintenance"), false);
        Step step = new Step(name, intent, bmc, task, params, timeout, tries, onFailure == null ? "fail" : onFailure, cases);
        String completes = text(s, "completes-on", at + ".completes-on");
        if (completes != null && !badTask && !completes.equals(step.completesOn())) {
            problems.add(at + ".completes-on: this stage is completed by " + step.completesOn() + ", given what it sends");
        }
        return step;
    }

    /**
     * A stage's {@code choose}: cases tried in order, the first that applies adds its BMC commands and
     * task. A stage with a task of its own has no case with another (a stage completes on one task).
     */
    private List<WorkflowDefinition.Case> cases(JsonNode node, String ownTask, String at) {
        List<WorkflowDefinition.Case> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (!node.isArray() || node.isEmpty() || node.size() > 8) {
            problems.add(at + ": a list of one to eight cases");
            return out;
        }
        int i = 0;
        boolean unconditional = false;
        for (JsonNode c : node) {
            String here = at + "[" + i++ + "]";
            if (!c.isObject()) {
                problems.add(here + ": a mapping with when, bmc, task or params");
                continue;
            }
            if (unconditional) {
                problems.add(here + ": never applies, a case before it has no when");
            }
            unknownKeys(c, CASE_KEYS, here + ".");
            Boolean whenBmc = null;
            String whenHandOff = null;
            JsonNode when = c.get("when");
            if (when == null) {
                unconditional = true;
            } else if (!when.isObject() || when.isEmpty()) {
                problems.add(here + ".when: a mapping with bmc (true or false) and/or hand-off (kexec or reboot)");
            } else {
                unknownKeys(when, Set.of("bmc", "hand-off"), here + ".when.");
                if (when.has("bmc")) {
                    if (!when.get("bmc").isBoolean()) {
                        problems.add(here + ".when.bmc: true or false");
                    } else {
                        whenBmc = when.get("bmc").asBoolean();
                    }
                }
                whenHandOff = oneOf(when, "hand-off", here + ".when.hand-off", List.copyOf(new java.util.TreeSet<>(HAND_OFFS)), false);
            }
            List<BmcStep> bmc = bmc(c.get("bmc"), here + ".bmc");
            String task = oneOf(c, "task", here + ".task", List.copyOf(new java.util.TreeSet<>(WorkflowDefinition.TASKS.keySet())), false);
            Map<String, String> params = c.hasNonNull("task") && task == null ? Map.of() : params(c.get("params"), task, here + ".params");
            if (!bmc.isEmpty() && !Boolean.TRUE.equals(whenBmc)) {
                problems.add(here + ": a case with bmc commands says when: {bmc: true} (a machine without a BMC gets none)");
            }
            if (bmc.isEmpty() && task == null && !c.hasNonNull("task")) {
                problems.add(here + ": sends nothing: bmc commands or a task");
            }
            if (task != null && ownTask != null) {
                problems.add(here + ".task: the stage assigns " + ownTask + " already (a stage completes on one task)");
            }
            out.add(new WorkflowDefinition.Case(whenBmc, whenHandOff, bmc, task, params));
        }
        return out;
    }

    private List<BmcStep> bmc(JsonNode node, String at) {
        List<BmcStep> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (!node.isArray() || node.isEmpty() || node.size() > 4) {
            problems.add(at + ": a list of one to four commands");
            return out;
        }
        int i = 0;
        for (JsonNode b : node) {
            String here = at + "[" + i++ + "]";
            if (!b.isObject()) {
                problems.add(here + ": a mapping with action");
                continue;
            }
            unknownKeys(b, Set.of("action", "device", "persistent"), here + ".");
            String action = oneOf(b, "action", here + ".action", WorkflowDefinition.BMC_ACTIONS, true);
            String device = oneOf(b, "device", here + ".device", List.of("pxe", "disk", "bios-setup", "cd", "none"), false);
            Boolean persistent = null;
            if (b.has("persistent")) {
                if (!b.get("persistent").isBoolean()) {
                    problems.add(here + ".persistent: true or false");
                } else {
                    persistent = b.get("persistent").asBoolean();
                }
            }
            if ("set-boot-device".equals(action) && device == null) {
                problems.add(here + ".device: set-boot-device names one");
            }
            if (action != null && !action.equals("set-boot-device") && (device != null || persistent != null)) {
                problems.add(here + ": device and persistent go with set-boot-device only");
            }
            out.add(new BmcStep(action, device, persistent));
        }
        return out;
    }

    private Map<String, String> params(JsonNode node, String task, String at) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!"wipe".equals(task)) {
            problems.add(at + ": only the wipe task takes parameters (the image tasks' come from the run's image and machine)");
            return out;
        }
        if (!node.isObject()) {
            problems.add(at + ": a mapping");
            return out;
        }
        unknownKeys(node, Set.of("mode"), at + ".");
        String mode = oneOf(node, "mode", at + ".mode", List.copyOf(new java.util.TreeSet<>(WIPE_MODES)), false);
        if (mode != null) {
            out.put("mode", mode);
        }
        return out;
    }

    /** What the engine needs of the order; see the class comment. */
    private void order(List<Step> stages) {
        int powerOn = index(stages, "power-on");
        int agent = index(stages, "await-agent");
        if (agent >= 0 && powerOn != agent - 1) {
            problems.add("stages: await-agent comes right after power-on (a report is the run's only if it follows the run's power cycle)");
        }
        if (powerOn > 0) {
            problems.add("stages: power-on, when there is one, is the first stage");
        }
        for (int i = 0; i < stages.size(); i++) {
            Step s = stages.get(i);
            if (s.tasks().findAny().isPresent() && (agent < 0 || i < agent)) {
                problems.add("stages: " + s.name() + " assigns an agent task, so it comes after await-agent");
            }
        }
        int first = index(stages, "await-first-boot");
        if (first >= 0 && (first == 0 || stages.get(first - 1).tasks().noneMatch(HAND_OFFS::contains))) {
            problems.add("stages: await-first-boot comes right after the stage that hands off (task kexec or reboot)");
        }
        if (first >= 0 && stages.subList(0, first).stream().flatMap(Step::tasks).noneMatch("write-image"::equals)) {
            problems.add("stages: await-first-boot waits for an installed system: a write-image stage comes before it");
        }
        for (int i = 0; i < stages.size(); i++) {
            String task = stages.get(i).tasks().filter(HAND_OFFS::contains).findFirst().orElse(null);
            if (task != null && (i + 1 >= stages.size() || !stages.get(i + 1).name().equals("await-first-boot"))) {
                problems.add("stages: " + stages.get(i).name() + " hands off (task " + task + "), so await-first-boot follows it"
                        + " (the agent is gone; success is the installed system's phone-home)");
            }
        }
    }

    private static int index(List<Step> stages, String name) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private String text(JsonNode node, String key, String at) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(at + ": a string" + (v.isBoolean() ? " (YAML reads a bare yes, no, on or off as true or false: quote it)" : ""));
            return null;
        }
        return v.asText();
    }

    private String oneOf(JsonNode node, String key, String at, List<String> allowed, boolean required) {
        String v = text(node, key, at);
        if (v == null) {
            if (required && !node.has(key)) {
                problems.add(at + ": required, one of " + allowed);
            }
            return null;
        }
        if (!allowed.contains(v)) {
            problems.add(at + ": '" + v + "' is none of " + allowed);
            return null;
        }
        return v;
    }

    private void unknownKeys(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                problems.add(prefix + k + ": unknown key (known: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
