package io.pxewings.dhcp.lease;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every address the server knows of, one record per address, indexed by address and by MAC.
 * Leases are not thread-safe on purpose: one event-loop thread owns them, so allocation needs no
 * locks. Reservations are the exception: they arrive from a Kafka consumer thread, so they live
 * in concurrent maps and change under a lock.
 */
public final class LeaseStore {

    private final Map<Long, Lease> byIp = new HashMap<>();
    private final Map<String, Lease> byMac = new HashMap<>();
    /** Static reservations: address -> MAC. Never handed to another MAC. */
    private final Map<Long, String> reservedIps = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Inet4Address> reservations = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> cursors = new HashMap<>();

    /** Reserves an address for a MAC; the address's previous owner, if another MAC, loses it. */
    public synchronized void reserve(String mac, Inet4Address ip) {
        Inet4Address old = reservations.put(mac, ip);
        if (old != null) {
            reservedIps.remove(Ipv4.toLong(old));
        }
        String previousOwner = reservedIps.put(Ipv4.toLong(ip), mac);
        if (previousOwner != null && !previousOwner.equals(mac)) {
            reservations.remove(previousOwner, ip);
        }
    }

    public synchronized void unreserve(String mac) {
        Inet4Address old = reservations.remove(mac);
        if (old != null) {
            reservedIps.remove(Ipv4.toLong(old), mac);
        }
    }

    public Optional<Inet4Address> reservation(String mac) {
        return Optional.ofNullable(reservations.get(mac));
    }

    public Optional<Lease> byMac(String mac) {
        return Optional.ofNullable(byMac.get(mac));
    }

    public Optional<Lease> byIp(Inet4Address ip) {
        return Optional.ofNullable(byIp.get(Ipv4.toLong(ip)));
    }

    /**
     * Picks the address for a client: its reservation; else the address it had; else the one it
     * asks for when free; else a never-used pool address; else one another client let lapse.
     */
    public Optional<Inet4Address> choose(Subnet subnet, String mac, Optional<Inet4Address> requested, Instant now) {
        Inet4Address reserved = reservations.get(mac);
        if (reserved != null && subnet.contains(reserved)) {
            return Optional.of(reserved);
        }
        Lease mine = byMac.get(mac);
        if (mine != null && mine.subnet().equals(subnet.name()) && availableTo(Ipv4.toLong(mine.ip()), mac, now)
                && subnet.inPool(Ipv4.toLong(mine.ip()))) {
            return Optional.of(mine.ip());
        }
        if (requested.isPresent()) {
            long r = Ipv4.toLong(requested.get());
            if (subnet.inPool(r) && availableTo(r, mac, now) && !byIp.containsKey(r)) {
                return requested;
            }
        }
        Optional<Inet4Address> fresh = scan(subnet, mac, now, true);
        return fresh.isPresent() ? fresh : scan(subnet, mac, now, false);
    }

    /** Next pool address after the subnet's cursor; {@code neverUsed} skips any address with a record. */
    private Optional<Inet4Address> scan(Subnet subnet, String mac, Instant now, boolean neverUsed) {
        Long cursor = cursors.get(subnet.name());
        long candidate = cursor == null ? subnet.pools().get(0).first() : next(subnet, cursor);
        long total = subnet.poolSize();
        for (long n = 0; n < total; n++, candidate = next(subnet, candidate)) {
            boolean free = neverUsed ? !byIp.containsKey(candidate) && !reservedIps.containsKey(candidate)
                    : availableTo(candidate, mac, now);
            if (free) {
                cursors.put(subnet.name(), candidate);
                return Optional.of(Ipv4.of(candidate));
            }
        }
        return Optional.empty();
    }

    private static long next(Subnet subnet, long ip) {
        List<Subnet.Range> pools = subnet.pools();
        for (int i = 0; i < pools.size(); i++) {
            Subnet.Range r = pools.get(i);
            if (r.contains(ip)) {
                return ip < r.last() ? ip + 1 : pools.get((i + 1) % pools.size()).first();
            }
        }
        return pools.get(0).first();
    }

    /**
     * Whether a client may have this exact address (a DHCPREQUEST for it): its reservation, or a
     * pool address that nobody else holds or has reserved.
     */
    public boolean mayHave(Subnet subnet, String mac, Inet4Address ip, Instant now) {
        long v = Ipv4.toLong(ip);
        Inet4Address reserved = reservations.get(mac);
        if (reserved != null) {
            return reserved.equals(ip) && availableTo(v, mac, now);
        }
        return subnet.inPool(v) && availableTo(v, mac, now);
    }

    /** Free for this MAC: not reserved for another, not held (offered, bound, quarantined) by another. */
    private boolean availableTo(long ip, String mac, Instant now) {
        String owner = reservedIps.get(ip);
        if (owner != null && !owner.equals(mac)) {
            return false;
        }
        Lease l = byIp.get(ip);
        return l == null || l.mac().equals(mac) && l.state() != Lease.State.DECLINED || !l.activeAt(now);
    }

    /** Records a lease state (also used to replay the journal); the newest record per address wins. */
    public Lease put(Lease lease) {
        long ip = Ipv4.toLong(lease.ip());
        Lease previous = byIp.put(ip, lease);
        if (previous != null && !previous.mac().equals(lease.mac())) {
            byMac.remove(previous.mac(), previous);
        }
        Lease otherAddress = lease.mac().isEmpty() ? null : byMac.put(lease.mac(), lease);
        if (otherAddress != null && !otherAddress.ip().equals(lease.ip())) {
            // A client moves to a new address: its old one is no longer its own.
            byIp.remove(Ipv4.toLong(otherAddress.ip()), otherAddress);
        }
        return lease;
    }

    public Lease offer(Subnet subnet, String mac, Inet4Address ip, String hostname, Instant now, Duration hold) {
        return put(new Lease(mac, ip, subnet.name(), Lease.State.OFFERED, hostname, now, now.plus(hold)));
    }

    public Lease bind(Subnet subnet, String mac, Inet4Address ip, String hostname, Instant now, Duration leaseTime) {
        return put(new Lease(mac, ip, subnet.name(), Lease.State.BOUND, hostname, now, now.plus(leaseTime)));
    }

    public Optional<Lease> release(String mac, Inet4Address ip, Instant now) {
        Lease l = byIp.get(Ipv4.toLong(ip));
        if (l == null || !l.mac().equals(mac) || l.state() != Lease.State.BOUND) {
            return Optional.empty();
        }
        return Optional.of(put(new Lease(mac, ip, l.subnet(), Lease.State.RELEASED, l.hostname(), now, now)));
    }

    /** Drops an OFFERED hold (the client chose another server). */
    public void forgetOffer(String mac) {
        Lease l = byMac.get(mac);
        if (l != null && l.state() == Lease.State.OFFERED) {
            byMac.remove(mac, l);
            byIp.remove(Ipv4.toLong(l.ip()), l);
        }
    }

    /** DHCPDECLINE: the address is in use by someone else; nobody gets it until the quarantine ends. */
    public Optional<Lease> decline(String mac, Inet4Address ip, Instant now, Duration quarantine) {
        Lease l = byIp.get(Ipv4.toLong(ip));
        if (l == null || !l.mac().equals(mac)) {
            return Optional.empty();
        }
        byMac.remove(mac, l);
        Lease declined = new Lease("", ip, l.subnet(), Lease.State.DECLINED, "", now, now.plus(quarantine));
        byIp.put(Ipv4.toLong(ip), declined);
        return Optional.of(declined);
    }

    /** Moves lapsed bound leases to EXPIRED and forgets lapsed offers; returns the newly expired. */
    public List<Lease> expire(Instant now) {
        List<Lease> expired = new ArrayList<>();
        for (Lease l : List.copyOf(byIp.values())) {
            if (l.expiresAt().isAfter(now)) {
                continue;
            }
            switch (l.state()) {
                case BOUND -> expired.add(put(new Lease(l.mac(), l.ip(), l.subnet(), Lease.State.EXPIRED, l.hostname(),
                        now, now)));
                case OFFERED -> {
                    byIp.remove(Ipv4.toLong(l.ip()), l);
                    byMac.remove(l.mac(), l);
                }
                default -> {
                }
            }
        }
        return expired;
    }

    /** What compaction keeps: every record but offers (which are never durable). */
    public Collection<Lease> snapshot() {
        List<Lease> out = new ArrayList<>();
        for (Lease l : byIp.values()) {
            if (l.state() != Lease.State.OFFERED) {
                out.add(l);
            }
        }
        return out;
    }

    /** Addresses of a subnet held now (offered, bound or quarantined). */
    public long inUse(String subnet, Instant now) {
        return byIp.values().stream().filter(l -> l.subnet().equals(subnet) && l.activeAt(now)).count();
    }

    /** Every record, for the operator API. */
    public Collection<Lease> all() {
        return List.copyOf(byIp.values());
    }

    public int size() {
        return byIp.size();
    }
}
