package io.pxewings.orchestrator.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The built-in {@code inventory} workflow: {@code power-on} and {@code await-agent} (see
 * {@link Workflow}), {@code done}. The RAM OS's agent reports the machine's hardware to
 * inventory-service on the way; the machine stays in the RAM OS, {@code inventoried}, ready for a
 * provision without another boot. For machines not running an installed system: a provisioned
 * one is refused (its service would stop), it takes {@code reinstall} or {@code deprovision}.
 */
public final class InventoryWorkflow extends Workflow {

    public static final String NAME = "inventory";
    public static final List<String> STAGES = List.of("power-on", "await-agent", "done");

    public InventoryWorkflow(Map<String, Duration> timeouts, int maxStageTries, int maxAttempts, Backoff backoff, Supplier<String> ids) {
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
        return Set.of();
    }

    @Override
    public String runningLifecycle() {
        return "discovered";
    }

    @Override
    public String doneLifecycle() {
        return "inventoried";
    }

    @Override
    public boolean needsImage() {
        return false;
    }

    @Override
    public Set<String> startsFrom() {
        return Set.of("discovered", "inventoried", "ready", "failed");
    }

    @Override
    protected Entry enterOwn(String stage, Target t) {
        return null;
    }
}
