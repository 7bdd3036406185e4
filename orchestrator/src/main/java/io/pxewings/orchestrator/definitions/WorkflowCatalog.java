package io.pxewings.orchestrator.definitions;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.pxewings.orchestrator.config.OrchestratorConfig;
import io.pxewings.orchestrator.workflow.Backoff;
import io.pxewings.orchestrator.workflow.DataWorkflow;
import io.pxewings.orchestrator.workflow.DeprovisionWorkflow;
import io.pxewings.orchestrator.workflow.InventoryWorkflow;
import io.pxewings.orchestrator.workflow.ProvisionWorkflow;
import io.pxewings.orchestrator.workflow.Workflow;
import io.pxewings.orchestrator.workflow.WorkflowYaml;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every workflow a run can name: the built-ins by name, and operators' stored ones as
 * {@code name@version} (a run's own) or {@code name} (the newest version, when a run starts). A
 * stored version never changes, so each is read from the database once per instance.
 */
@ApplicationScoped
public class WorkflowCatalog {

    @Inject
    OrchestratorConfig config;

    @Inject
    WorkflowStore store;

    private Map<String, Workflow> builtIns;
    private Map<String, Duration> timeouts;
    private Backoff backoff;
    private final Supplier<String> ids = () -> UUID.randomUUID().toString();
    private final Map<String, DataWorkflow> versions = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        OrchestratorConfig.Timeouts t = config.timeouts();
        timeouts = Map.of("power-on", t.powerOn(), "await-agent", t.awaitAgent(), "write-image", t.writeImage(),
                "configure", t.configure(), "hand-off", t.handOff(), "await-first-boot", t.awaitFirstBoot());
        Map<String, Duration> deprovision = new HashMap<>(timeouts);
        deprovision.put("wipe", t.wipe());
        deprovision.put("power-off", t.powerOn());
        backoff = new Backoff(config.retryBackoff(), config.retryBackoffCap(), ThreadLocalRandom.current());
        int tries = config.maxStageTries();
        int attempts = config.maxRunAttempts();
        Map<String, Workflow> b = new LinkedHashMap<>();
        b.put(ProvisionWorkflow.NAME, new ProvisionWorkflow(timeouts, tries, attempts, backoff, ids));
        b.put(ProvisionWorkflow.REINSTALL, new ProvisionWorkflow(ProvisionWorkflow.REINSTALL, timeouts, tries, attempts, backoff, ids));
        b.put(InventoryWorkflow.NAME, new InventoryWorkflow(timeouts, tries, attempts, backoff, ids));
        b.put(DeprovisionWorkflow.NAME, new DeprovisionWorkflow(deprovision, tries, attempts, backoff, ids));
        builtIns = java.util.Collections.unmodifiableMap(b);   // in this order in lists
    }

    public Map<String, Workflow> builtIns() {
        return builtIns;
    }

    /**
     * The workflow {@code ref} names: a built-in, {@code name@version}, or {@code name} for its newest
     * version; empty when there is none.
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
        return versions.computeIfAbsent(s.name() + "@" + s.version(),
                k -> new DataWorkflow(WorkflowYaml.read(s.source()), s.version(), timeouts, config.maxStageTries(), config.maxRunAttempts(),
                        backoff, ids));
    }
}
