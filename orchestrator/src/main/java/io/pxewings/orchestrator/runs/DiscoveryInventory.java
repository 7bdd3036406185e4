package io.pxewings.orchestrator.runs;

import java.sql.SQLException;
import java.util.List;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.events.machine.MachineSnapshot;
import io.pxewings.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The built-in {@code inventory} for each newly discovered machine
 * ({@code wings.orchestrator.inventory-on-discovery}), so that a machine that never reports is a
 * failed run someone sees, not a row that stays {@code discovered}. Keyed by the machine (an
 * idempotency key), so a registration read twice starts one run.
 */
@ApplicationScoped
public class DiscoveryInventory {

    private static final Logger LOG = Logger.getLogger(DiscoveryInventory.class);

    @Inject
    RunEngine engine;

    @Inject
    OrchestratorConfig config;

    @Inject
    MeterRegistry registry;

    /** After the view has {@code m}: start its inventory run if it was just discovered. */
    public void registered(MachineSnapshot m) throws SQLException {
        if (!config.inventoryOnDiscovery() || !"discovered".equals(m.state())) {
            return;
        }
        try {
            engine.start(new RunEngine.StartRequest(List.of(m.id()), null, "inventory", "discovery:" + m.id(), "discovery", null));
            registry.counter("wings_orchestrator_discovery_runs_total", "outcome", "started").increment();
        } catch (RunRefused r) {
            // A machine with a run already (an operator was quicker), without a boot NIC, in maintenance: nothing to add.
            registry.counter("wings_orchestrator_discovery_runs_total", "outcome", "refused").increment();
            LOG.infof("no inventory run for discovered machine %s: %s", m.id(), r.getMessage());
        }
    }
}
