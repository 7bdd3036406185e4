package io.pxewings.dhcp.boot;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which machines were handed the site's first stage (e.g. undionly.kpxe) over TFTP, in which DHCP
 * exchange and when. It breaks the chainload loop for iPXE that sits in a NIC's ROM (or a VM's):
 * that iPXE and the iPXE we hand out send the same DHCP options byte for byte (user class
 * "iPXE", the same option 175), so only the history tells them apart.
 *
 * <p>An exchange is one transaction id (RFC 2131 §4.1: the DISCOVER, its retransmissions and the
 * REQUEST share the xid). Within {@code window} of a handout, the same exchange gets the first
 * stage again (the REQUEST must match its OFFER), and a new exchange from iPXE is the stage that
 * was handed out, now running: it gets the script. After the window the machine's next boot
 * starts over.
 *
 * <p>Kept in memory per instance: with two dhcp-service instances answering one segment, a
 * machine may be handed the first stage once by each before the loop breaks.
 */
public final class FirstStageHandouts {

    private record Handout(int xid, Instant at) {
    }

    /** Past this many machines, expired entries are purged (at most once a second); a storm cannot grow it without bound. */
    private static final int PURGE_ABOVE = 10_000;

    private final Duration window;
    private final Map<String, Handout> byMac = new ConcurrentHashMap<>();
    /**
     * No purge before this: with more live handouts than the bound (a storm of that many machines
     * in one window), a purge per offer would scan the whole map on the DHCP path every time.
     */
    private volatile Instant nextPurge = Instant.MIN;

    public FirstStageHandouts(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("first-stage window must be positive: " + window);
        }
        this.window = window;
    }

    /** Records that exchange {@code xid} of {@code mac} was offered the first stage at {@code now}. */
    public void handedOut(String mac, int xid, Instant now) {
        Handout previous = byMac.get(mac);
        if (previous != null && previous.xid() == xid && live(previous, now)) {
            return;   // the same exchange: the window runs from its first offer
        }
        if (byMac.size() >= PURGE_ABOVE && !now.isBefore(nextPurge)) {
            byMac.values().removeIf(h -> !live(h, now));
            nextPurge = now.plusSeconds(1);
        }
        byMac.put(mac, new Handout(xid, now));
    }

    /**
     * How long ago a first stage was handed to {@code mac} in an exchange other than {@code xid},
     * if that was within the window: then the iPXE asking now is that stage, running.
     */
    public Optional<Duration> runningStage(String mac, int xid, Instant now) {
        Handout h = byMac.get(mac);
        if (h == null || h.xid() == xid || !live(h, now)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(h.at(), now));
    }

    /** Whether any first stage handed to {@code mac} is still within the window (for explanations, which record nothing). */
    public Optional<Duration> recent(String mac, Instant now) {
        Handout h = byMac.get(mac);
        return h != null && live(h, now) ? Optional.of(Duration.between(h.at(), now)) : Optional.empty();
    }

    /** Machines remembered, live or expired (until a purge). */
    int size() {
        return byMac.size();
    }

    private boolean live(Handout h, Instant now) {
        return !h.at().plus(window).isBefore(now);
    }
}
