package io.pxewings.dhcp.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pxewings.common.net.UdpSocketStats;
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
    /** Micrometer holds function-meter state weakly: the bound ports are kept here. */
    private final java.util.List<Integer> kernelPorts = new java.util.concurrent.CopyOnWriteArrayList<>();

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

    /** The kernel's view of a bound socket: datagrams it dropped (receive queue full) and bytes waiting. */
    void kernelCounters(String socket, int boundPort) {
        Integer port = boundPort;
        kernelPorts.add(port);
        FunctionCounter.builder("wings_dhcp_socket_drops", port, p -> UdpSocketStats.forPort(p).drops())
                .description("Datagrams the kernel dropped before the server saw them (receive queue full: raise "
                        + "wings.dhcp.receive-buffer and net.core.rmem_max)")
                .tag("socket", socket).register(registry);
        Gauge.builder("wings_dhcp_socket_queue_bytes", port, p -> UdpSocketStats.forPort(p).receiveQueueBytes())
                .description("Bytes of datagrams waiting in the socket's kernel receive queue").tag("socket", socket)
                .register(registry);
    }

    void responded(long nanos) {
        response.record(Duration.ofNanos(nanos));
    }
}
