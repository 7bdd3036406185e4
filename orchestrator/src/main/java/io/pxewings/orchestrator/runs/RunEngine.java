package io.pxewings.orchestrator.runs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.events.EventTypes;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.orchestrator.config.OrchestratorConfig;
import io.pxewings.orchestrator.definitions.WorkflowCatalog;
import io.pxewings.orchestrator.views.Images;
import io.pxewings.orchestrator.views.Machines;
import io.pxewings.orchestrator.workflow.Command;
import io.pxewings.orchestrator.workflow.Entry;
import io.pxewings.orchestrator.workflow.Input;
import io.pxewings.orchestrator.workflow.Outcome;
import io.pxewings.orchestrator.workflow.Workflow;
import io.pxewings.orchestrator.workflow.Target;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Moves runs: each fact, deadline or operator action is one PostgreSQL transaction that locks the
 * run, decides with its {@link Workflow} (provision, deprovision), writes the run, its history and the commands and
 * facts it causes (the outbox), and records the fact's id so a redelivery changes nothing. A
 * crash between two transactions loses nothing: the broker redelivers uncommitted facts and the
 * timer finds every deadline in the table.
 */
@ApplicationScoped
public class RunEngine {

    private static final Logger LOG = Logger.getLogger(RunEngine.class);

    @Inject
    DataSource db;

    @Inject
    RunStore runs;

    @Inject
    Machines machines;

    @Inject
    Images images;

    @Inject
    RunCommands commands;

    @Inject
    SiteImageUrls imageUrls;

    @Inject
    OrchestratorConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    WorkflowCatalog catalog;

    @Inject
    SiteGates gates;

    /** Nudges the outbox relay after a commit (the timer owns it; a normal-scoped proxy breaks the cycle). */
    @Inject
    RunTimer timer;

    @Inject
    @io.smallrye.common.annotation.Identifier(Ownership.NAME)
    Ownership ownership;

    /**
     * Held by whatever moves runs in the background here (a batch of facts, a timer round): one
     * such transaction at a time per instance, so they never deadlock on each other's rows.
     */
    private final java.util.concurrent.locks.ReentrantLock moves = new java.util.concurrent.locks.ReentrantLock();

    /** Per gate, the stages of any workflow that hold it while a run is in them. */
    Map<io.pxewings.orchestrator.workflow.Gate, List<String>> stagesUsing;

    @PostConstruct
    void init() {
        if (!Target.HAND_OFFS.contains(config.handOff())) {
            throw new IllegalStateException("wings.orchestrator.hand-off: auto, kexec or reboot, not '" + config.handOff() + "'");
        }
        // The caps count runs by stage name: a stored workflow's stages hold the caps of the built-ins' stages of the same names.
        Map<io.pxewings.orchestrator.workflow.Gate, List<String>> using = new java.util.EnumMap<>(io.pxewings.orchestrator.workflow.Gate.class);
        for (Workflow w : catalog.builtIns().values()) {   // the stage names hold the same gates in every workflow
            for (String stage : w.stages()) {
                for (io.pxewings.orchestrator.workflow.Gate g : w.gates(stage)) {
                    List<String> stages = using.computeIfAbsent(g, k -> new java.util.ArrayList<>());
                    if (!stages.contains(stage)) {
                        stages.add(stage);
                    }
                }
            }
        }
        stagesUsing = using;
    }

    private Workflow wf(Run run) {
        return catalog.of(run.workflow());
    }

    /** What an operator asks for: a workflow on machines (ids or boot MACs), with an image. */
    public record StartRequest(List<String> machines, String image, String workflow, String idempotencyKey, String requestedBy,
                               String handOff) {
    }

    /**
     * Starts one run per machine, all or none: an unknown machine or image, an image that may not be
     * deployed on it, or a machine with a run already are refused before anything is written. A
     * repeated idempotency key returns the runs it started.
     */
    public List<Run> start(StartRequest req) throws SQLException {
        Workflow wf = catalog.resolve(req.workflow() == null ? "provision" : req.workflow()).orElseThrow(() -> new RunRefused(404,
                "no workflow '" + req.workflow() + "' (built-in: " + new java.util.TreeSet<>(catalog.builtIns().keySet())
                        + "; stored ones: GET /api/v1/workflows)"));
        if (req.machines() == null || req.machines().isEmpty()) {
            throw new RunRefused(400, "machines: name at least one machine (id or boot MAC)");
        }
        if (wf.needsImage() && (req.image() == null || !req.image().matches("[a-z0-9][a-z0-9._-]*(:[A-Za-z0-9][A-Za-z0-9._+-]*)?"))) {
            throw new RunRefused(400, "image: NAME or NAME:VERSION");
        }
        if (req.handOff() != null && !Target.HAND_OFFS.contains(req.handOff())) {
            throw new RunRefused(400, "handOff: auto, kexec or reboot");
        }
        if (req.handOff() != null && !wf.handsOff()) {
            throw new RunRefused(400, "handOff: " + wf.name() + " has no stage that chooses by the hand-off (provision and reinstall do)");
        }
        if (!wf.needsImage() && req.image() != null) {
            throw new RunRefused(400, "image: " + wf.name() + " writes none");
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Run> started = new ArrayList<>();
                Images.Image image = !wf.needsImage() ? null : images.find(c, req.image())
                        .orElseThrow(() -> new RunRefused(404, "no image " + req.image() + " in the catalog (or no deployable version of it)"));
                if (image != null && !image.deployable()) {
                    throw new RunRefused(422, "image " + image.ref() + " is not deployable (" + image.state()
                            + "; an unsigned or unverified image never is): nothing was started");
                }
                Map<String, String> siteUrls = new LinkedHashMap<>();
                for (String key : new java.util.LinkedHashSet<>(req.machines())) {
                    Machines.Machine m = machines.find(c, key.trim()).orElseThrow(() -> new RunRefused(404, "no machine " + key));
                    if (req.idempotencyKey() != null) {
                        Optional<Run> earlier = runs.byIdempotencyKey(c, req.idempotencyKey(), m.id());
                        if (earlier.isPresent()) {
                            started.add(earlier.get());
                            continue;
                        }
                    }
                    if (m.mac() == null) {
                        throw new RunRefused(422, "machine " + m.id() + " has no boot NIC in inventory");
                    }
                    if (image != null && m.firmware() != null && !image.firmware().equals("both") && !image.firmware().equals(m.firmware())) {
                        throw new RunRefused(422, "image " + image.ref() + " boots on " + image.firmware() + ", machine " + m.id() + " is "
                                + m.firmware());
                    }
                    if (m.lifecycle().equals("maintenance")) {
                        throw new RunRefused(409, "machine " + m.id() + " is in maintenance: take it out first");
                    }
                    if (wf.needsBmc() && !m.hasBmc()) {
                        throw new RunRefused(422, "machine " + m.id() + " has no BMC in inventory, and " + wf.name()
                                + " powers machines through theirs");
                    }
                    if (!wf.startsFrom().isEmpty() && !wf.startsFrom().contains(m.lifecycle())) {
                        throw new RunRefused(409, "machine " + m.id() + " is " + m.lifecycle() + ": " + wf.name() + " starts from "
                                + String.join(", ", new java.util.TreeSet<>(wf.startsFrom())) + " only");
                    }
                    Optional<Run> active = runs.lockActive(c, m.id());
                    if (active.isPresent()) {
                        throw new RunRefused(409, "machine " + m.id() + " has a run already: " + active.get().id() + " (" + active.get().status()
                                + ", " + active.get().stage() + ")");
                    }
                    String url = image == null ? "" : siteUrls.computeIfAbsent(m.site(), s -> imageUrls.forSite(s).orElse(null));
                    if (url == null) {
                        throw new RunRefused(422, "site " + m.site() + " has no image endpoint (no running image-service there, and no"
                                + " wings.orchestrator.image-urls.\"" + m.site() + "\")");
                    }
                    Run run = newRun(wf, m, image, url, req.handOff() == null ? config.handOff() : req.handOff());
                    runs.insert(c, run, req.idempotencyKey());
                    runs.history(c, run.id(), run.stage(), "requested", "by " + (req.requestedBy() == null ? "api" : req.requestedBy())
                            + (image == null ? "" : ", image " + image.ref()));
                    commands.fact(c, run, EventTypes.RUN_STARTED);
                    started.add(admitIfRoom(c, run));
                }
                c.commit();
                timer.nudge();
                return started;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException s && "23505".equals(s.getSQLState())) {
                    throw new RunRefused(409, "a machine got a run from another request meanwhile: try again to see it");
                }
                throw e;
            }
        }
    }

    private Run newRun(Workflow wf, Machines.Machine m, Images.Image image, String url, String handOff) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (image != null) {
            Map<String, String> write = new LinkedHashMap<>();
            write.put("url", url + "/api/v1/blobs/sha256:" + image.sha256());
            write.put("format", image.format());
            write.put("sha256", image.sha256());
            write.put("raw_sha256", image.rawSha256());
            write.put("raw_size", Long.toString(image.rawSize()));
            Map<String, String> kexec = new LinkedHashMap<>();
            for (String k : List.of("root", "kernel", "initrd", "cmdline")) {
                if (image.bootHints().get(k) != null) {
                    kexec.put(k, image.bootHints().get(k));
                }
            }
            params.put("write", write);
            params.put("kexec", kexec);
            params.put("root", image.bootHints().getOrDefault("root", ""));
        }
        params.put("uefi", "uefi".equals(m.firmware()));
        if (wf.needsImage()) {
            params.put("handOff", Target.handOff(handOff, "uefi".equals(m.firmware())));   // decided once, when the run starts
        }
        params.put("hasBmc", m.hasBmc());
        Instant now = Instant.now();
        return new Run(UUID.randomUUID().toString(), m.id(), m.mac(), m.site(), wf.name(), image == null ? null : image.ref(), params, 1, "queued",
                "admit", 1, null, null, m.lastBootId(), null, null, "timeout", false, false, null, Traceparent.newRoot().header(), now, now);
    }

    /**
     * Starts a queued run if its site has room under its cap; else it stays queued, in order.
     * Admission is a site's decision, not a machine's: whichever instance makes it (a request, a
     * timer) holds the site's row first, so two never both take the last place.
     */
    private Run admitIfRoom(Connection c, Run run) throws SQLException {
        gates.lockSite(c, run.site());
        if (runs.running(c, run.site()) >= config.maxRunsPerSite()) {
            runs.history(c, run.id(), "admit", "queued", "position " + runs.position(c, run) + " behind the site's cap of "
                    + config.maxRunsPerSite());
            return run;
        }
        Workflow wf = wf(run);
        String before = machines.setLifecycle(c, run.machineId(), wf.runningLifecycle());
        Run.Changes ch = run.change();
        ch.status = "running";
        Run running = ch.done();
        commands.lifecycle(c, running, before, wf.runningLifecycle(), "run " + run.id());
        return enter(c, running, wf.first(), 1, "admitted");
    }

    /** Admits queued runs where sites have room; returns how many started. */
    public int admitQueued() throws SQLException {
        int admitted = 0;
        moves.lock();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Map.Entry<String, int[]> site : runs.siteCounts(c).entrySet()) {   // sites in order, as everywhere
                    int room = config.maxRunsPerSite() - site.getValue()[0];
                    if (site.getValue()[1] == 0 || room <= 0) {
                        continue;
                    }
                    for (Run r : runs.lockQueued(c, site.getKey(), room)) {
                        if (admitIfRoom(c, r).status().equals("running")) {
                            admitted++;
                        }
                    }
                }
                c.commit();
                timer.nudge();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } finally {
            moves.unlock();
        }
        return admitted;
    }

    /** One fact for {@link #applyAll}: its event id, the machine as the fact named it (id or boot MAC), what it means, when it happened. */
    public record Fact(String eventId, String machineKey, Input input, Instant time, String site, String type) {
    }

    /**
     * Applies a batch of facts in one transaction, in order, each once; returns what each did, for
     * metrics: {@code duplicate}, {@code no-run}, {@code earlier-boot}, {@code ignored} or the
     * outcome. Holds {@link #moves}, so the timer of this instance never waits on the same rows in
     * the opposite order. Any failure rolls the whole batch back, to be applied again.
     */
    public List<String> applyAll(List<Fact> facts) throws SQLException {
        moves.lock();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<String> out = new ArrayList<>(facts.size());
                for (Fact f : facts) {
                    out.add(applyIn(c, f));
                }
                c.commit();
                timer.nudge();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } finally {
            moves.unlock();
        }
    }

    private String applyIn(Connection c, Fact f) throws SQLException {
        if (!runs.firstTime(c, f.eventId())) {
            return "duplicate";
        }
        if (f.input() instanceof Input.AgentUp up && !Machines.isUuid(f.machineKey())) {
            machines.lastBoot(c, f.machineKey(), up.bootId(), f.time());
        }
        Optional<Run> found = runs.lockActive(c, f.machineKey());
        if (found.isEmpty() || !found.get().status().equals("running")) {
            return "no-run";
        }
        if (f.input() instanceof Input.AgentUp up && fromEarlierBoot(found.get(), up, f.time())) {
            return "earlier-boot";
        }
        return decide(c, found.get(), f.input(), f.time());
    }

    /** A report from the boot the machine was in when the run started, or sent before this run powered it. */
    private static boolean fromEarlierBoot(Run run, Input.AgentUp up, Instant eventTime) {
        return (up.bootId() != null && up.bootId().equals(run.staleBootId()))
                || (run.bootAfter() != null && eventTime != null && eventTime.isBefore(run.bootAfter()));
    }

    /**
     * Fires due deadlines (stage timeouts, retry backoffs, gate rechecks) of the runs this instance
     * owns ({@link Ownership}); returns how many. Site by site, like a batch of facts.
     */
    public int fireDeadlines() throws SQLException {
        int fired = 0;
        moves.lock();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Run r : runs.lockDue(c, 200, ownership::owns)) {
                    if (r.deadlineAction().equals("retry")) {
                        enter(c, r, r.stage(), r.stageTry(), "retrying after backoff");
                    } else if (r.deadlineAction().equals("gate")) {
                        enter(c, r, r.stage(), r.stageTry(), "passed the site's caps");
                    } else {
                        decide(c, r, new Input.DeadlinePassed(), Instant.now());
                    }
                    fired++;
                }
                c.commit();
                timer.nudge();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } finally {
            moves.unlock();
        }
        return fired;
    }

    /** Cancels a queued or running run: nothing of it runs any more, and the agent's task is cleared. */
    public Run cancel(String runId, String by) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Run r = runs.lock(c, runId).orElseThrow(() -> new RunRefused(404, "no run " + runId));
                if (!r.active()) {
                    throw new RunRefused(409, "run " + runId + " has ended already (" + r.status() + ")");
                }
                Run ended = end(c, r, "cancelled", "cancelled by " + (by == null ? "api" : by), r.wroteDisk() ? "failed" : "ready");
                c.commit();
                timer.nudge();
                return ended;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Runs an ended (failed or cancelled) run again from {@code stage}: a new attempt, with the
     * stages before it taken as done. Refused while the machine has another run or is in maintenance.
     */
    public Run retry(String runId, String stage, String by) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Run r = runs.lock(c, runId).orElseThrow(() -> new RunRefused(404, "no run " + runId));
                if (!r.status().equals("failed") && !r.status().equals("cancelled")) {
                    throw new RunRefused(409, "run " + runId + " is " + r.status() + ": only a failed or cancelled run is retried");
                }
                Workflow wf = wf(r);
                String from = stage == null ? r.stage() : stage;
                if (from.equals("admit")) {
                    from = wf.first();
                }
                if (!wf.stages().contains(from) || from.equals("done")) {
                    throw new RunRefused(400, "stage: one of " + wf.stages().subList(0, wf.stages().size() - 1));
                }
                Machines.Machine m = machines.find(c, r.machineId()).orElseThrow(() -> new RunRefused(404, "machine " + r.machineId()
                        + " is no longer in inventory"));
                if (m.lifecycle().equals("maintenance")) {
                    throw new RunRefused(409, "machine " + m.id() + " is in maintenance: take it out first");
                }
                Optional<Run> other = runs.lockActive(c, r.machineId());
                if (other.isPresent()) {
                    throw new RunRefused(409, "machine " + r.machineId() + " has a run already: " + other.get().id());
                }
                Run.Changes ch = r.change();
                ch.status = "running";
                ch.attempt++;
                ch.fallbackUsed = false;
                ch.error = null;
                Run again = ch.done();
                runs.history(c, r.id(), from, "retried", "by " + (by == null ? "api" : by) + " from " + from);
                String before = machines.setLifecycle(c, r.machineId(), wf.runningLifecycle());
                commands.lifecycle(c, again, before, wf.runningLifecycle(), "run " + r.id() + " retried from " + from);
                Run entered = enter(c, again, from, 1, "retried from " + from);
                c.commit();
                timer.nudge();
                return entered;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException s && "23505".equals(s.getSQLState())) {
                    throw new RunRefused(409, "the machine got a run from another request meanwhile");
                }
                throw e;
            }
        }
    }

    /**
     * Puts a machine in maintenance (no run starts there; one in progress must be cancelled first)
     * or takes it out, back to where it was.
     */
    public String maintenance(String machine, boolean on, String reason, String by) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Machines.Machine m = machines.find(c, machine).orElseThrow(() -> new RunRefused(404, "no machine " + machine));
                Optional<Run> active = runs.lockActive(c, m.id());
                if (on && active.isPresent()) {
                    throw new RunRefused(409, "machine " + m.id() + " has a run: " + active.get().id() + "; cancel it first");
                }
                String to = machines.maintenance(c, m.id(), on, reason);
                if (!to.equals(m.lifecycle())) {
                    commands.lifecycle(c, m.id(), m.site(), null, m.lifecycle(), to, (on ? "maintenance on" : "maintenance off") + " by "
                            + (by == null ? "api" : by) + (reason == null ? "" : ": " + reason));
                }
                c.commit();
                timer.nudge();
                return to;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Applies one input to a running run; {@code at} is when it happened (a power cycle's confirmation dates the boots that count). */
    private String decide(Connection c, Run run, Input input, Instant at) throws SQLException {
        Target target = target(run);
        Workflow workflow = wf(run);
        Outcome o = workflow.on(input, run.position(), target);
        String label = o.kind().name().toLowerCase(java.util.Locale.ROOT);
        switch (o.kind()) {
            case IGNORE -> {
                count(input, "ignored");
                return "ignored";
            }
            case NEXT -> {
                Run.Changes ch = run.change();
                if (o.bootId() != null) {
                    ch.bootId = o.bootId();
                }
                if (run.stage().equals("power-on") && at != null) {
                    // Reports stamped before the BMC confirmed the cycle are from the boot it ended; 2 s for
                    // the clocks of bmc-service's and http-boot-service's hosts (a RAM OS takes far longer to boot).
                    ch.bootAfter = at.minusSeconds(2);
                }
                Run r = ch.done();
                runs.history(c, r.id(), r.stage(), "completed", o.reason());
                enter(c, r, workflow.after(r.stage()), 1, o.reason());
            }
            case RETRY -> {
                Run.Changes ch = run.change();
                if (o.bootId() != null) {
                    ch.bootId = o.bootId();
                }
                runs.history(c, run.id(), run.stage(), "failed, will retry", o.reason());
                if (o.backoff().isZero()) {
                    enter(c, ch.done(), run.stage(), run.stageTry() + 1, o.reason());
                } else {
                    ch.stageTry++;
                    ch.waitingFor = null;
                    ch.deadline = Instant.now().plus(o.backoff());
                    ch.deadlineAction = "retry";
                    ch.error = o.reason();
                    Run waiting = ch.done();
                    runs.update(c, waiting);
                    commands.fact(c, waiting, EventTypes.RUN_STAGE_CHANGED);
                }
            }
            case RESTART -> {
                runs.history(c, run.id(), run.stage(), "timed out, run restarted", o.reason());
                Run.Changes ch = run.change();
                ch.attempt++;
                ch.waitingFor = null;
                ch.bootId = null;
                ch.staleBootId = run.bootId() != null ? run.bootId() : run.staleBootId();
                ch.fallbackUsed = false;
                ch.error = o.reason();
                enter(c, ch.done(), workflow.first(), 1, o.reason());
            }
            case STAY -> {
                for (Command command : o.commands()) {
                    commands.send(c, run, command);
                }
                runs.history(c, run.id(), run.stage(), "fallback", o.reason());
                Entry e = workflow.enter(run.stage(), target);
                Run.Changes ch = run.change();
                ch.deadline = Instant.now().plus(e.timeout());
                ch.deadlineAction = "timeout";
                ch.fallbackUsed = true;
                ch.error = o.reason();
                runs.update(c, ch.done());
            }
            case FAIL -> end(c, run, "failed", o.reason(), "failed");
            case MAINTENANCE -> end(c, run, "failed", o.reason(), "maintenance");
            case DONE -> {
                runs.history(c, run.id(), run.stage(), "completed", o.reason());
                enter(c, run, "done", 1, o.reason());
            }
        }
        count(input, label);
        return label;
    }

    /** Enters {@code stage}: its commands, what it waits for, its deadline; passes stages with nothing to do. */
    private Run enter(Connection c, Run run, String stage, int stageTry, String why) throws SQLException {
        Target target = target(run);
        Workflow workflow = wf(run);
        Entry e = workflow.enter(stage, target);
        while (e.skip()) {
            for (Command command : e.commands()) {
                commands.send(c, run, command);
            }
            runs.history(c, run.id(), stage, "passed", "nothing to do for this machine");
            stage = workflow.after(stage);
            e = workflow.enter(stage, target);
        }
        Optional<SiteGates.Wait> closed = gates.pass(c, run, stage, workflow.gates(stage), stagesUsing);
        if (closed.isPresent()) {
            return waitAtGate(c, run, stage, stageTry, closed.get());
        }
        if (!stage.equals(run.stage()) && run.status().equals("running") && !run.deadlineAction().equals("gate")) {
            gates.left(c, run, run.stage(), workflow.gates(run.stage()), stagesUsing);
        }
        for (Command command : e.commands()) {
            commands.send(c, run, command);
        }
        Instant now = Instant.now();
        boolean done = stage.equals("done");
        Run.Changes ch = run.change();
        ch.status = done ? "succeeded" : "running";
        ch.stage = stage;
        ch.stageTry = stageTry;
        ch.waitingFor = e.waitFor();
        ch.bootAfter = stage.equals(workflow.first()) ? now : run.bootAfter();
        ch.deadline = done ? null : now.plus(e.timeout());
        ch.deadlineAction = "timeout";
        ch.wroteDisk = run.wroteDisk() || stage.equals("write-image");
        ch.error = done ? null : run.error();
        Run r = ch.done();
        runs.update(c, r);
        runs.history(c, r.id(), stage, done ? "succeeded" : "entered", (stageTry > 1 ? "try " + stageTry + ": " : "") + why);
        if (done) {
            String before = machines.setLifecycle(c, r.machineId(), workflow.doneLifecycle());
            commands.lifecycle(c, r, before, workflow.doneLifecycle(), "run " + r.id() + " succeeded");
            commands.fact(c, r, EventTypes.RUN_SUCCEEDED);
            LOG.infof("run %s: %s of machine %s succeeded%s", r.id(), r.workflow(), r.machineId(), r.image() == null ? "" : " with " + r.image());
        } else {
            commands.fact(c, r, EventTypes.RUN_STAGE_CHANGED);
            if (stage.equals("await-agent")) {
                return reportCameFirst(c, r);
            }
        }
        return r;
    }

    /**
     * Entering {@code await-agent}: the agent of the boot the power cycle started may have reported
     * already, when the agent's topic was read ahead of the BMC's (a storm, a lagging consumer). Its
     * report counts now if it is of this run's boot: stamped after the cycle, not the stale boot.
     */
    private Run reportCameFirst(Connection c, Run r) throws SQLException {
        Optional<Machines.LastBoot> last = machines.lastBoot(c, r.machineId());
        if (last.isEmpty() || last.get().bootId() == null) {
            return r;
        }
        Input.AgentUp up = new Input.AgentUp(last.get().bootId());
        if (fromEarlierBoot(r, up, last.get().at())) {
            return r;
        }
        count(up, "replayed");
        decide(c, r, up, last.get().at());
        return runs.get(c, r.id()).orElse(r);
    }

    /**
     * The run is in {@code stage} but sends nothing yet: a cap of its site is full. The timer tries
     * the stage again ({@code deadline_action} 'gate') when the power-on bucket has a token, or when a
     * run leaving the slot wakes it (at the latest after a safety period); no stage deadline runs
     * meanwhile, since waiting for room is not a failure. Said once in the history and the run facts.
     */
    private Run waitAtGate(Connection c, Run run, String stage, int stageTry, SiteGates.Wait wait) throws SQLException {
        if (!stage.equals(run.stage()) && run.status().equals("running") && !run.deadlineAction().equals("gate")) {
            gates.left(c, run, run.stage(), wf(run).gates(run.stage()), stagesUsing);
        }
        boolean already = run.deadlineAction().equals("gate") && run.stage().equals(stage);
        Run.Changes ch = run.change();
        ch.status = "running";
        ch.stage = stage;
        ch.stageTry = stageTry;
        ch.waitingFor = null;
        ch.deadline = Instant.now().plus(wait.retryIn());
        ch.deadlineAction = "gate";
        Run r = ch.done();
        runs.update(c, r);
        if (!already) {
            runs.history(c, r.id(), stage, "waiting", wait.why());
            commands.fact(c, r, EventTypes.RUN_STAGE_CHANGED);
        }
        return r;
    }

    /** Ends a run (failed or cancelled) and sets the machine's lifecycle; the agent's task is cleared. */
    private Run end(Connection c, Run run, String status, String why, String lifecycle) throws SQLException {
        Run.Changes ch = run.change();
        ch.status = status;
        ch.waitingFor = null;
        ch.deadline = null;
        ch.deadlineAction = "timeout";
        ch.error = why;
        Run r = ch.done();
        runs.update(c, r);
        runs.history(c, r.id(), r.stage(), status, why);
        if (run.status().equals("running") && !run.deadlineAction().equals("gate")) {
            gates.left(c, r, run.stage(), wf(run).gates(run.stage()), stagesUsing);
        }
        if (run.status().equals("running")) {
            commands.send(c, r, new Command.ClearTask());
        }
        String before;
        if (lifecycle.equals("maintenance")) {
            before = wf(run).runningLifecycle();
            machines.maintenance(c, r.machineId(), true, why);   // leaving it, an operator finds the machine ready
        } else {
            before = machines.setLifecycle(c, r.machineId(), lifecycle);
        }
        commands.lifecycle(c, r, before, lifecycle, "run " + r.id() + " " + status + ": " + why);
        commands.fact(c, r, status.equals("cancelled") ? EventTypes.RUN_CANCELLED : EventTypes.RUN_FAILED);
        LOG.warnf("run %s: machine %s %s in %s: %s", r.id(), r.machineId(), status, r.stage(), why);
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Target target(Run run) {
        Map<String, Object> p = run.params();
        return new Target(run.machineId(), run.mac(), Boolean.TRUE.equals(p.get("uefi")), Boolean.TRUE.equals(p.get("hasBmc")),
                (Map<String, String>) p.getOrDefault("write", Map.of()), (Map<String, String>) p.getOrDefault("kexec", Map.of()),
                String.valueOf(p.getOrDefault("root", "")), Target.handOff((String) p.get("handOff"), Boolean.TRUE.equals(p.get("uefi"))));
    }

    private void count(Input input, String outcome) {
        Counter.builder("wings_orchestrator_inputs").description("Facts and deadlines applied to runs, by input and what they did")
                .tag("input", input.getClass().getSimpleName()).tag("outcome", outcome).register(registry).increment();
    }
}
