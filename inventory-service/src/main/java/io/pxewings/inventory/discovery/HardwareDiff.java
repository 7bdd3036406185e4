package io.pxewings.inventory.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.machine.HardwareChanged.Difference;
import io.pxewings.events.machine.MachineSnapshot.MachineDisk;

/**
 * What differs between two inventories of one machine, for {@code machine.hardware.changed}.
 * Disks are matched by serial (then WWN, then kernel name), because kernel names can swap between
 * boots while the devices stay; NICs by MAC. Link state and speed are not hardware and are ignored.
 */
final class HardwareDiff {

    private HardwareDiff() {
    }

    static List<Difference> between(Hardware before, Hardware after) {
        List<Difference> out = new ArrayList<>();
        field(out, "systemUuid", before.systemUuid(), after.systemUuid());
        field(out, "serial", before.serial(), after.serial());
        field(out, "manufacturer", before.manufacturer(), after.manufacturer());
        field(out, "product", before.product(), after.product());
        field(out, "firmware", before.firmware(), after.firmware());
        field(out, "cpuModel", before.cpuModel(), after.cpuModel());
        field(out, "cpuSockets", before.cpuSockets(), after.cpuSockets());
        field(out, "cpuCores", before.cpuCores(), after.cpuCores());
        field(out, "cpuThreads", before.cpuThreads(), after.cpuThreads());
        field(out, "memoryBytes", before.memoryBytes(), after.memoryBytes());
        disks(out, before.disks(), after.disks());
        nics(out, before.nics(), after.nics());
        return out;
    }

    private static void disks(List<Difference> out, List<MachineDisk> before, List<MachineDisk> after) {
        Map<String, MachineDisk> old = byIdentity(before);
        Map<String, MachineDisk> now = byIdentity(after);
        for (Map.Entry<String, MachineDisk> e : old.entrySet()) {
            MachineDisk was = e.getValue();
            MachineDisk is = now.get(e.getKey());
            if (is == null) {
                out.add(new Difference("disks[" + was.name() + "]", describe(was), null));
                continue;
            }
            String at = "disks[" + is.name() + "]";
            field(out, at + ".name", was.name(), is.name());
            field(out, at + ".sizeBytes", was.sizeBytes(), is.sizeBytes());
            field(out, at + ".model", was.model(), is.model());
            field(out, at + ".rotational", was.rotational(), is.rotational());
            field(out, at + ".wwn", was.wwn(), is.wwn());
        }
        for (Map.Entry<String, MachineDisk> e : now.entrySet()) {
            if (!old.containsKey(e.getKey())) {
                out.add(new Difference("disks[" + e.getValue().name() + "]", null, describe(e.getValue())));
            }
        }
    }

    private static void nics(List<Difference> out, List<InventoryReported.Nic> before, List<InventoryReported.Nic> after) {
        Map<String, InventoryReported.Nic> old = new LinkedHashMap<>();
        before.forEach(n -> old.put(n.mac(), n));
        Map<String, InventoryReported.Nic> now = new LinkedHashMap<>();
        after.forEach(n -> now.put(n.mac(), n));
        for (InventoryReported.Nic n : before) {
            if (!now.containsKey(n.mac())) {
                out.add(new Difference("nics[" + n.mac() + "]", n.name(), null));
            }
        }
        for (InventoryReported.Nic n : after) {
            if (!old.containsKey(n.mac())) {
                out.add(new Difference("nics[" + n.mac() + "]", null, n.name()));
            }
        }
    }

    /** Serial, else WWN, else kernel name: the most stable name a disk has. */
    private static Map<String, MachineDisk> byIdentity(List<MachineDisk> disks) {
        Map<String, MachineDisk> out = new LinkedHashMap<>();
        for (MachineDisk d : disks) {
            String id = d.serial() != null && !d.serial().isBlank() ? "serial:" + d.serial()
                    : d.wwn() != null && !d.wwn().isBlank() ? "wwn:" + d.wwn() : "name:" + d.name();
            // Two disks without serial or WWN and with one name cannot happen in one report; keep the first.
            out.putIfAbsent(id, d);
        }
        return out;
    }

    private static String describe(MachineDisk d) {
        return d.model() + " " + d.sizeBytes() + " bytes" + (d.serial() == null ? "" : " serial " + d.serial());
    }

    private static void field(List<Difference> out, String name, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            out.add(new Difference(name, before == null ? null : before.toString(), after == null ? null : after.toString()));
        }
    }
}
