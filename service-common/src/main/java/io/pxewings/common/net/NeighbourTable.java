package io.pxewings.common.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The kernel's IPv4 neighbour (ARP) table of this process's network namespace, read from
 * {@code /proc/self/net/arp}: the MAC behind an address on a directly attached network. A client
 * on another network (behind a DHCP relay and a router) has no entry of its own, since the kernel
 * resolves only the router's address for it, so a lookup never names the wrong machine: it names
 * the client or nothing.
 *
 * <p>Lookups happen on event loops, per request, so the table is not read per lookup: a snapshot
 * is kept and read again when it is a second old, or on a miss when it is {@value #MISS_REREAD_MILLIS}
 * ms old (a client that just appeared). A flood of requests from unknown addresses costs at most
 * ten reads a second.
 *
 * <p>Line format (Linux {@code net/ipv4/arp.c}, {@code arp_format_neigh_entry}): {@code IP address,
 * HW type, Flags, HW address, Mask, Device}; flag {@code 0x2} (ATF_COM) marks a resolved entry.
 */
public final class NeighbourTable {

    static final long MISS_REREAD_MILLIS = 100;
    private static final long MAX_AGE_NANOS = 1_000_000_000L;
    private static final int ATF_COM = 0x2;
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    private final Path table;
    private volatile Map<String, String> macByIp = Map.of();
    private volatile long readAt;
    private volatile boolean read;

    /** This process's namespace. */
    public NeighbourTable() {
        this(Path.of("/proc/self/net/arp"));
    }

    NeighbourTable(Path table) {
        this.table = table;
    }

    /** The MAC of on-link neighbour {@code ip}, if the kernel has resolved it. */
    public Optional<String> mac(String ip) {
        long now = System.nanoTime();
        long age = now - readAt;
        String mac = macByIp.get(ip);
        if (!read || age >= MAX_AGE_NANOS || (mac == null && age >= MISS_REREAD_MILLIS * 1_000_000)) {
            // Races between loops only read the table twice; the snapshot is replaced whole.
            macByIp = read();
            readAt = now;
            read = true;
            mac = macByIp.get(ip);
        }
        return Optional.ofNullable(mac);
    }

    private Map<String, String> read() {
        try {
            return parse(Files.readAllLines(table));
        } catch (IOException | SecurityException e) {
            return Map.of();   // not Linux, or no procfs
        }
    }

    /** The resolved entries of an ARP table's lines (header included), address to MAC; malformed rows are skipped. */
    static Map<String, String> parse(List<String> lines) {
        Map<String, String> out = new HashMap<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6) {
                continue;
            }
            try {
                int flags = Integer.decode(f[2]);
                String mac = f[3].toLowerCase(Locale.ROOT);
                if ((flags & ATF_COM) != 0 && MAC.matcher(mac).matches() && !mac.equals("00:00:00:00:00:00")) {
                    out.put(f[0], mac);
                }
            } catch (NumberFormatException malformed) {
                // A row this parser does not understand names nothing (the header among them).
            }
        }
        return out;
    }
}
