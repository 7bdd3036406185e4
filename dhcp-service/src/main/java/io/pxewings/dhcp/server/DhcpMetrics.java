package io.pxewings.dhcp.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pxewings.dhcp.codec.DropReason;

/**
 * What an SRE graphs for a DHCP server. Counters are looked up once per label and kept: the
 * receive path must not build a meter id per packet.
 */
final class DhcpMetrics {

    private final MeterRegistry registry;
    private final Timer response;
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

    DhcpMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.response = Timer.builder("wings_dhcp_response")
                .description("Time from a request's arrival to its reply being handed to the socket (journal fsync included)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(2))
                .register(registry);
    }

    void received(String type) {
        received.computeIfAbsent(type, t -> Counter.builder("wings_dhcp_packets_received")
                .description("DHCP requests received, by message type").tag("type", t).register(registry)).increment();
    }

    void dropped(DropReason reason) {
        dropped(reason.name().toLowerCase());
    }

    void dropped(String reason) {
        dropped.computeIfAbsent(reason, r -> Counter.builder("wings_dhcp_packets_dropped")
                .description("Datagrams dropped without a reply, by reason").tag("reason", r).register(registry)).increment();
    }

    void outcome(String label) {
        outcomes.computeIfAbsent(label, l -> Counter.builder("wings_dhcp_outcomes")
                .description("What the server did with each request: offer, ack, nak, or why it stayed silent")
                .tag("outcome", l).register(registry)).increment();
    }

    void responded(long nanos) {
        response.record(Duration.ofNanos(nanos));
    }
}
