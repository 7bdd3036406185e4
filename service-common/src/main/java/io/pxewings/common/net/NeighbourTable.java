package io.pxewings.common.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kernel's IPv4 neighbour (ARP) table of this process's network namespace, read from
 * {@code /proc/self/net/arp}: the MAC behind an address on a directly attached network. A client
 * on another network (behind a DHCP relay and a router) has no entry of its own, since the kernel
 * resolves only the router's address for it, so a lookup never names the wrong machine: it names
 * the client or nothing.
 *
 * <p>Line format (Linux {@code net/ipv4/arp.c}, {@code arp_format_neigh_entry}): {@code IP address,
 * HW type, Flags, HW address, Mask, Device}; flag {@code 0x2} (ATF_COM) marks a resolved entry.
 */
public final class NeighbourTable {

    private static final Path TABLE = Path.of("/proc/self/net/arp");
    private static final int ATF_COM = 0x2;

    private NeighbourTable() {
    }

    /** The MAC of on-link neighbour {@code ip}, if the kernel has resolved it. */
    public static Optional<String> mac(String ip) {
        try {
            return parse(Files.readAllLines(TABLE), ip);
        } catch (IOException | SecurityException e) {
            return Optional.empty();   // not Linux, or no procfs
        }
    }

    /** The resolved MAC of {@code ip} in the lines of an ARP table (header included); malformed rows are skipped. */
    static Optional<String> parse(List<String> lines, String ip) {
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !f[0].equals(ip)) {
                continue;
            }
            try {
                int flags = Integer.decode(f[2]);
                String mac = f[3].toLowerCase(Locale.ROOT);
                if ((flags & ATF_COM) != 0 && mac.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}") && !mac.equals("00:00:00:00:00:00")) {
                    return Optional.of(mac);
                }
            } catch (NumberFormatException malformed) {
                // A row this parser does not understand names nothing.
            }
        }
        return Optional.empty();
    }
}
