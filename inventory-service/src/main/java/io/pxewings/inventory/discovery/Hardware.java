package io.pxewings.inventory.discovery;

import java.util.List;

import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.machine.MachineSnapshot;
import io.pxewings.inventory.machine.Machine;
import io.pxewings.inventory.machine.Nic;

/**
 * The parts of a machine an agent reports, in one comparable shape: what the machine had at its
 * last inventory, or what a new report says.
 *
 * @param nics MACs with the kernel name (only NICs an inventory reported; operator-added ones have no name)
 */
record Hardware(String systemUuid, String serial, String manufacturer, String product, String firmware,
                String cpuModel, Integer cpuSockets, Integer cpuCores, Integer cpuThreads, Long memoryBytes,
                List<MachineSnapshot.MachineDisk> disks, List<InventoryReported.Nic> nics) {

    static Hardware of(Machine m) {
        List<InventoryReported.Nic> nics = m.nics.stream().filter(n -> n.name != null)
                .map((Nic n) -> new InventoryReported.Nic(n.name, n.mac, n.speedMbps, n.link)).toList();
        return new Hardware(m.systemUuid, m.serial, m.manufacturer, m.product, m.firmware, m.cpuModel, m.cpuSockets,
                m.cpuCores, m.cpuThreads, m.memoryBytes, m.disks == null ? List.of() : m.disks.items(), nics);
    }

    static Hardware of(InventoryReported r, List<MachineSnapshot.MachineDisk> disks, List<InventoryReported.Nic> nics) {
        return new Hardware(r.systemUuid(), r.serial(), r.manufacturer(), r.product(), r.firmware(), r.cpuModel(),
                r.cpuSockets(), r.cpuCores(), r.cpuThreads(), r.memoryBytes(), disks, nics);
    }
}
