package io.pxewings.events.machine;

import java.util.List;

/**
 * An agent's inventory differs from the machine's previous one: a disk, DIMM, CPU or NIC was
 * added, removed or replaced. Sent in addition to {@code machine.updated}.
 *
 * @param machineId   the machine
 * @param site        its site
 * @param mac         the boot NIC whose agent reported
 * @param differences each difference, in a stable order
 */
public record HardwareChanged(String machineId, String site, String mac, List<Difference> differences) {

    /**
     * @param field  what differs: a machine field ({@code memoryBytes}, {@code cpuModel}), or
     *               {@code disks[<name>]}/{@code nics[<mac>]} for a device and
     *               {@code disks[<name>].<field>} for one of its fields
     * @param before the previous value as text, null when the device was added
     * @param after  the new value as text, null when the device was removed
     */
    public record Difference(String field, String before, String after) {
    }
}
