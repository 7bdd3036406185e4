package io.pxewings.dhcp.server;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pxewings.dhcp.codec.DropReason;

/** What an SRE graphs for a DHCP server. */
final class DhcpMetrics {

    private final MeterRegistry registry;
    private final Timer response;

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
        Counter.builder("wings_dhcp_packets_received").description("DHCP requests received, by message type")
                .tag("type", type).register(registry).increment();
    }

    void dropped(DropReason reason) {
        dropped(reason.name().toLowerCase());
    }

    void dropped(String reason) {
        Counter.builder("wings_dhcp_packets_dropped").description("Datagrams dropped without a reply, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    void outcome(String label) {
        Counter.builder("wings_dhcp_outcomes").description("What the server did with each request: offer, ack, nak, or why it stayed silent")
                .tag("outcome", label).register(registry).increment();
    }

    void responded(long nanos) {
        response.record(Duration.ofNanos(nanos));
    }
}
