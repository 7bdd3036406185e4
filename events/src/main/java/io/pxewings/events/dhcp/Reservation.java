package io.pxewings.events.dhcp;

import java.time.Instant;

/**
 * A fixed address for a NIC, as an operator assigned it in inventory: desired state on the
 * compacted reservations topic. A tombstone (no value) for the MAC removes the reservation.
 *
 * @param mac       boot NIC, lower-case colon form (also the key)
 * @param ip        the reserved IPv4 address
 * @param hostname  the machine's host name, or null
 * @param machineId the inventory machine id, or null
 * @param updatedAt when it was assigned
 */
public record Reservation(String mac, String ip, String hostname, String machineId, Instant updatedAt) {
}
