package io.pxewings.common.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's own counters for this process's UDP sockets on one local port, read from
 * {@code /proc/self/net/udp} and {@code udp6} (the process's network namespace). A datagram the
 * kernel drops because the socket's receive queue is full never reaches the application, so
 * only the kernel can count it; in a boot storm that is the first loss an SRE needs to see.
 *
 * <p>Line format (Linux {@code net/ipv4/udp.c}, {@code udp4_format_sock}): {@code sl
 * local_address:port rem_address:port st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
 * ref pointer drops}, addresses and ports in hex.
 */
public final class UdpSocketStats {

    private static final List<Path> TABLES = List.of(Path.of("/proc/self/net/udp"), Path.of("/proc/self/net/udp6"));

    /** Drops and queued bytes summed over the sockets on a port; zeros where /proc is unreadable. */
    public record Counters(long drops, long receiveQueueBytes) {
    }

    /**
     * The bound ports whose meters are registered. Micrometer holds a function meter's state
     * object weakly, and a boxed port nobody else references is collected: the meter would then
     * read 0 for ever. These live as long as the process, as the meters do.
     */
    private static final java.util.List<Probe> REGISTERED = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A meter's state: one bound port. */
    private record Probe(int port) {
    }

    private UdpSocketStats() {
    }

    /**
     * Registers {@code <prefix>_socket_drops_total} (datagrams the kernel dropped on the full
     * receive queue, before the service saw them) and {@code <prefix>_socket_queue_bytes} (the
     * backlog now) for a bound UDP port.
     *
     * @param tags extra tag key/value pairs, e.g. {@code "socket", "dhcp"}
     */
    public static void register(io.micrometer.core.instrument.MeterRegistry registry, String prefix, int boundPort,
                                String... tags) {
        Probe probe = new Probe(boundPort);
        REGISTERED.add(probe);
        io.micrometer.core.instrument.FunctionCounter.builder(prefix + "_socket_drops", probe, p -> forPort(p.port()).drops())
                .description("Datagrams the kernel dropped before the service saw them (receive queue full)")
                .tags(tags).register(registry);
        io.micrometer.core.instrument.Gauge.builder(prefix + "_socket_queue_bytes", probe,
                        p -> forPort(p.port()).receiveQueueBytes())
                .description("Bytes of datagrams waiting in the socket's kernel receive queue").tags(tags).register(registry);
    }

    public static Counters forPort(int port) {
        long drops = 0;
        long queued = 0;
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException | SecurityException e) {
                continue;   // not Linux, or no procfs: the metric stays at zero
            }
            Counters c = parse(lines, port);
            drops += c.drops();
            queued += c.receiveQueueBytes();
        }
        return new Counters(drops, queued);
    }

    /** Sums the rows of a /proc/net/udp table whose local port is {@code port}; ignores malformed rows. */
    static Counters parse(List<String> lines, int port) {
        String hexPort = String.format(":%04X", port);
        long drops = 0;
        long queued = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 13 || !f[1].endsWith(hexPort)) {
                continue;
            }
            try {
                String[] queues = f[4].split(":");
                queued += Long.parseLong(queues[1], 16);
                drops += Long.parseLong(f[12]);
            } catch (RuntimeException malformed) {
                // A row this parser does not understand counts as nothing.
            }
        }
        return new Counters(drops, queued);
    }
}
