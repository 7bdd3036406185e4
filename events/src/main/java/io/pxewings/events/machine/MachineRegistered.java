package io.pxewings.events.machine;

/**
 * Inventory-service learned of a machine it did not know.
 *
 * @param machine the machine as registered
 * @param cause   what created it: {@code discovery} (a DHCP discover), {@code inventory} (an agent
 *                report), {@code import} (bulk import of expected machines) or {@code api}
 */
public record MachineRegistered(MachineSnapshot machine, String cause) {
}
