package io.pxewings.dhcp.lease;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;

/**
 * One subnet the server hands out addresses in.
 *
 * @param name      its config name (a metric label)
 * @param network   network address
 * @param prefix    prefix length
 * @param pools     address ranges to allocate from, inclusive
 * @param router    option 3, or null
 * @param dns       option 6 servers
 * @param leaseTime    option 51: the lease given when the client asks for none, and the longest
 * @param minLeaseTime the shortest lease a client may ask for with option 51
 */
public record Subnet(String name, Inet4Address network, int prefix, List<Range> pools, Inet4Address router,
                     List<Inet4Address> dns, Duration leaseTime, Duration minLeaseTime) {

    /** A subnet that gives every client {@code leaseTime}, whatever it asks for. */
    public Subnet(String name, Inet4Address network, int prefix, List<Range> pools, Inet4Address router,
                  List<Inet4Address> dns, Duration leaseTime) {
        this(name, network, prefix, pools, router, dns, leaseTime, leaseTime);
    }

    /** An inclusive address range. */
    public record Range(long first, long last) {
        public Range {
            if (first > last) {
                throw new IllegalArgumentException("range start after its end");
            }
        }

        public long size() {
            return last - first + 1;
        }

        public boolean contains(long ip) {
            return ip >= first && ip <= last;
        }
    }

    public Subnet {
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException(name + ": prefix must be /8 to /30");
        }
        if ((Ipv4.toLong(network) & ~mask(prefix) & 0xffffffffL) != 0) {
            throw new IllegalArgumentException(name + ": " + Ipv4.text(network) + "/" + prefix + " has host bits set");
        }
        if (pools.isEmpty()) {
            throw new IllegalArgumentException(name + ": at least one pool");
        }
        if (minLeaseTime.isNegative() || minLeaseTime.isZero() || minLeaseTime.compareTo(leaseTime) > 0) {
            throw new IllegalArgumentException(name + ": min-lease-time must be positive and at most lease-time");
        }
        pools = List.copyOf(pools);
        dns = List.copyOf(dns);
        long net = Ipv4.toLong(network);
        long m = mask(prefix);
        for (Range r : pools) {
            // Fields are not assigned yet inside a compact constructor: use the parameters.
            if ((r.first & m) != net || (r.last & m) != net) {
                throw new IllegalArgumentException(name + ": pool " + Ipv4.text(Ipv4.of(r.first)) + "-"
                        + Ipv4.text(Ipv4.of(r.last)) + " is outside " + Ipv4.text(network) + "/" + prefix);
            }
        }
    }

    /** Parses "10.77.0.0/24". */
    public static long[] parseCidr(String cidr) {
        String[] parts = cidr.split("/");
        if (parts.length != 2 || !parts[1].matches("\\d{1,2}")) {
            throw new IllegalArgumentException("not a CIDR network: '" + cidr + "'");
        }
        return new long[] {Ipv4.toLong(Ipv4.parse(parts[0])), Integer.parseInt(parts[1])};
    }

    /** Parses "10.77.0.100-10.77.0.199". */
    public static Range parseRange(String text) {
        String[] parts = text.split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not an address range: '" + text + "'");
        }
        return new Range(Ipv4.toLong(Ipv4.parse(parts[0])), Ipv4.toLong(Ipv4.parse(parts[1])));
    }

    static long mask(int prefix) {
        return (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    }

    public Inet4Address mask() {
        return Ipv4.of(mask(prefix));
    }

    public Inet4Address broadcast() {
        return Ipv4.of(Ipv4.toLong(network) | (~mask(prefix) & 0xffffffffL));
    }

    public boolean contains(long ip) {
        return (ip & mask(prefix)) == Ipv4.toLong(network);
    }

    public boolean contains(Inet4Address ip) {
        return contains(Ipv4.toLong(ip));
    }

    public boolean inPool(long ip) {
        for (Range r : pools) {
            if (r.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The lease for a client that asked for {@code requestedSeconds} (option 51 in its DISCOVER or
     * REQUEST, RFC 2131 §4.3.1): honoured within [minLeaseTime, leaseTime], as Kea's
     * min/max-valid-lifetime do; leaseTime when it asked for nothing.
     */
    public Duration grant(java.util.Optional<Long> requestedSeconds) {
        if (requestedSeconds.isEmpty()) {
            return leaseTime;
        }
        Duration asked = Duration.ofSeconds(requestedSeconds.get());
        return asked.compareTo(minLeaseTime) < 0 ? minLeaseTime : asked.compareTo(leaseTime) > 0 ? leaseTime : asked;
    }

    public long poolSize() {
        return pools.stream().mapToLong(Range::size).sum();
    }
}
