package io.pxewings.events.dhcp;

import java.time.Instant;

/**
 * A lease changed state; the event type says how (bound, renewed, released, expired, declined).
 *
 * @param mac       the client (the key); for a declined address, the client that declined it
 * @param ip        the address
 * @param subnet    the subnet's config name
 * @param hostname  option 12 the client sent, "" if none
 * @param expiresAt when the lease (or the quarantine, for declined) ends
 */
public record LeaseChanged(String mac, String ip, String subnet, String hostname, Instant expiresAt) {
}
