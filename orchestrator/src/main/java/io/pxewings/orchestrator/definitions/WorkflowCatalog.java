package io.pxewings.orchestrator.definitions;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.pxewings.common.events.InPlace;
import io.pxewings.orchestrator.config.OrchestratorConfig;
import io.pxewings.orchestrator.workflow.Backoff;
import io.pxewings.orchestrator.workflow.DataWorkflow;
import io.pxewings.orchestrator.workflow.Workflow;
import io.pxewings.orchestrator.workflow.WorkflowYaml;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every workflow a run can name: stored ones as {@code name@version} (a run's own) or {@code name}
 * (when a run starts). The built-ins are stored too: at start, each document this build ships
 * ({@link BuiltInWorkflows}) is stored as the next version of its name unless a version with its
 * bytes exists, and a run that names a built-in bare gets the version this instance ships (so two
 * instances of different builds each start runs with their own, and neither makes a new version on
 * every restart). An operator's {@code name} gets its newest version. A stored version never
 * changes, so each is read from the database once per instance.
 */
@ApplicationScoped
public class WorkflowCatalog {

    @Inject
    OrchestratorConfig config;

    @Inject
    WorkflowStore store;

    private Map<String, DataWorkflow> builtIns;
    private Map<String, Duration> timeouts;
    private Backoff backoff;
    private final Supplier<String> ids = () -> UUID.randomUUID().toString();
    private final Map<String, DataWorkflow> versions = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        OrchestratorConfig.Timeouts t = config.timeouts();
        // By stage name, for any workflow's stage of that name that gives no timeout of its own.
        timeouts = Map.of("power-on", t.powerOn(), "await-agent", t.awaitAgent(), "write-image", t.writeImage(),
                "configure", t.configure(), "hand-off", t.handOff(), "await-first-boot", t.awaitFirstBoot(), "wipe", t.wipe(),
                "power-off", t.powerOn());
        backoff = new Backoff(config.retryBackoff(), config.retryBackoffCap(), ThreadLocalRandom.current());
        Map<String, DataWorkflow> b = new LinkedHashMap<>();
        try {
            for (String name : BuiltInWorkflows.NAMES) {
                String source = BuiltInWorkflows.source(name);
                WorkflowStore.Stored stored = InPlace.retry("storing the built-in workflow " + name, e -> e instanceof SQLException,
                        () -> store.saveBuiltIn(name, source, WorkflowYaml.readShipped(source).description()));
                b.put(name, of(stored));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing the built-in workflows", e);
        }
        builtIns = java.util.Collections.unmodifiableMap(b);   // in this order in lists
    }

    /** The built-ins by name, each the version this instance ships. */
    public Map<String, DataWorkflow> builtIns() {
        return builtIns;
    }

    /**
     * The workflow {@code ref} names: {@code name@version}, or {@code name} for a built-in's shipped
     * version or an operator's newest; empty when there is none.
     */
    public Optional<Workflow> resolve(String ref) throws SQLException {
        if (ref == null) {
            return Optional.empty();
        }
        Workflow b = builtIns.get(ref);
        if (b != null) {
            return Optional.of(b);
        }
        int at = ref.indexOf('@');
        if (at < 0) {
            Optional<WorkflowStore.Stored> newest = store.newest(ref);
            return newest.isEmpty() ? Optional.empty() : Optional.of(of(newest.get()));
        }
        DataWorkflow cached = versions.get(ref);
        if (cached != null) {
            return Optional.of(cached);
        }
        int version;
        try {
            version = Integer.parseInt(ref.substring(at + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<WorkflowStore.Stored> s = store.get(ref.substring(0, at), version);
        return s.isEmpty() ? Optional.empty() : Optional.of(of(s.get()));
    }

    /** A run's own workflow: it was resolved when the run started, so it exists. */
    public Workflow of(String ref) {
        try {
            return resolve(ref).orElseThrow(() -> new IllegalStateException("a run names workflow " + ref + ", which is not stored"));
        } catch (SQLException e) {
            throw new IllegalStateException("reading workflow " + ref + ": " + e.getMessage(), e);
        }
    }

    DataWorkflow of(WorkflowStore.Stored s) {
        return versions.computeIfAbsent(s.name() + "@" + s.version(), k -> new DataWorkflow(BuiltInWorkflows.NAMES.contains(s.name())
                ? WorkflowYaml.readShipped(s.source()) : WorkflowYaml.read(s.source()), s.version(), timeouts, config.maxStageTries(),
                config.maxRunAttempts(), backoff, ids));
    }
}
