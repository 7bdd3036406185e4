package io.pxewings.bmc.sessions;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.bmc.config.BmcConfig;
import io.pxewings.bmc.facts.BmcFacts;
import io.pxewings.bmc.store.Endpoints.Endpoint;
import io.pxewings.events.bmc.Reachability;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * This instance's {@link Gate}: every operation on a BMC goes through it. Its breaker
 * transitions become {@code bmc.unreachable} and {@code bmc.reachable} facts for each machine
 * behind that BMC, and gauges (open breakers, operations in flight and waiting).
 */
@ApplicationScoped
public class Gates {

    @Inject
    BmcConfig config;

    @Inject
    BmcFacts facts;

    @Inject
    MeterRegistry registry;

    private Gate gate;
    /** The machines behind each BMC (a multi-node chassis has several), and how to name the BMC in facts. */
    private final Map<String, Set<Endpoint>> machines = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent e) {
        gate = new Gate(config.maxConcurrent(), config.breaker().failures(), config.breaker().openFor(), config.breaker().maxOpenFor(),
                Clock.systemUTC(), new Gate.Listener() {
                    @Override
                    public void opened(String bmc, int failures, String reason) {
                        machines.getOrDefault(bmc, Set.of()).forEach(m -> facts.unreachable(new Reachability(m.machineId(), m.address(),
                                m.protocol(), "open", failures, reason)));
                    }

                    @Override
                    public void closed(String bmc) {
                        machines.getOrDefault(bmc, Set.of()).forEach(m -> facts.reachable(new Reachability(m.machineId(), m.address(),
                                m.protocol(), "closed", 0, null)));
                    }
                });
        Gauge.builder("wings_bmc_breakers_open", gate, Gate::openBreakers).description("BMCs whose circuit breaker is open")
                .register(registry);
        Gauge.builder("wings_bmc_operations_in_flight", gate, Gate::inFlight).description("BMC operations in flight")
                .register(registry);
        Gauge.builder("wings_bmc_operations_waiting", gate, Gate::waiting)
                .description("BMC operations waiting for one of wings.bmc.max-concurrent permits").register(registry);
    }

    public <T> CompletableFuture<T> run(Endpoint e, Supplier<CompletableFuture<T>> op) {
        String key = BmcClients.key(e);
        machines.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).removeIf(m -> m.machineId().equals(e.machineId()));
        machines.get(key).add(e);
        return gate.run(key, op);
    }

    public Gate.BreakerView breaker(Endpoint e) {
        return gate.breaker(BmcClients.key(e));
    }
}
