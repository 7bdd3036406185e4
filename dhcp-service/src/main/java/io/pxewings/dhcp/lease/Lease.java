package io.pxewings.dhcp.lease;

import java.net.Inet4Address;
import java.time.Instant;

/**
 * One address binding.
 *
 * @param mac       the client's hardware address (lower-case colon form): the machine key
 * @param ip        the address
 * @param subnet    the subnet's config name
 * @param state     see {@link State}
 * @param hostname  option 12 the client sent, or ""
 * @param updatedAt when this state began
 * @param expiresAt when it ends (an OFFERED hold, a BOUND lease, a DECLINED quarantine)
 */
public record Lease(String mac, Inet4Address ip, String subnet, State state, String hostname, Instant updatedAt,
                    Instant expiresAt) {

    /** The life of an address. Only BOUND, RELEASED and DECLINED are journaled. */
    public enum State {
        /** Held for a client between OFFER and REQUEST; not durable (RFC 2131 §4.3.1 allows reuse). */
        OFFERED,
        /** Acknowledged; durable before the ACK is sent. */
        BOUND,
        /** Given back by the client; the address stays with this MAC until another needs it. */
        RELEASED,
        /** The client found it in use (DHCPDECLINE): quarantined until expiresAt, no MAC owns it. */
        DECLINED,
        /** Ran out without renewal. */
        EXPIRED
    }

    public boolean activeAt(Instant now) {
        return (state == State.BOUND || state == State.OFFERED || state == State.DECLINED) && expiresAt.isAfter(now);
    }
}
