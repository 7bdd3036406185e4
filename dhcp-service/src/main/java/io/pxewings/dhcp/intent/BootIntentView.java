package io.pxewings.dhcp.intent;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.events.boot.BootIntent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * This instance's local view of {@code wings.boot.intents}: the latest intent per MAC. The DHCP
 * engine reads it on every request, so no boot path waits on Kafka or another service; while
 * Kafka is down the view keeps its last state.
 */
@ApplicationScoped
public class BootIntentView {

    private final Map<String, BootIntent> byMac = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry registry;

    @PostConstruct
    void metrics() {
        Gauge.builder("wings_dhcp_boot_intents", byMac, Map::size)
                .description("Boot intents in this instance's local view").register(registry);
    }

    public Optional<BootIntent> get(String mac) {
        return Optional.ofNullable(byMac.get(mac));
    }

    void put(BootIntent intent) {
        byMac.put(intent.mac(), intent);
    }

    void remove(String mac) {
        byMac.remove(mac);
    }
}
