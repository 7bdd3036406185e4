package io.pxewings.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.machine.HardwareChanged.Difference;
import io.pxewings.events.machine.MachineSnapshot.MachineDisk;

class HardwareDiffTest {

    static final MachineDisk SSD = new MachineDisk("nvme0n1", 960_197_124_096L, "SAMSUNG MZ7LH960", "S4F0NX0N1", false, "eui.1");
    static final MachineDisk HDD = new MachineDisk("sda", 4_000_787_030_016L, "ST4000NM0035", "ZC1ABC", true, null);
    static final InventoryReported.Nic ETH0 = new InventoryReported.Nic("eno1", "3c:ec:ef:00:00:01", 25000, true);

    static Hardware hw(long memory, List<MachineDisk> disks, List<InventoryReported.Nic> nics) {
        return new Hardware("4c4c4544-0031-3010-8052-b4c04f395331", "7X31ABC", "Dell Inc.", "PowerEdge R650", "uefi",
                "Intel(R) Xeon(R) Gold 6338", 2, 64, 128, memory, disks, nics);
    }

    @Test
    void theSameHardwareHasNoDifference() {
        assertThat(HardwareDiff.between(hw(1L << 38, List.of(SSD, HDD), List.of(ETH0)),
                hw(1L << 38, List.of(SSD, HDD), List.of(ETH0)))).isEmpty();
    }

    @Test
    void linkStateAndSpeedAreNotHardware() {
        var flapped = new InventoryReported.Nic("eno1", "3c:ec:ef:00:00:01", null, false);
        assertThat(HardwareDiff.between(hw(1, List.of(), List.of(ETH0)), hw(1, List.of(), List.of(flapped)))).isEmpty();
    }

    @Test
    void swappedKernelNamesAreARenameNotTwoNewDisks() {
        MachineDisk ssdAsSdb = new MachineDisk("sdb", SSD.sizeBytes(), SSD.model(), SSD.serial(), false, SSD.wwn());
        MachineDisk hddAsSdc = new MachineDisk("sdc", HDD.sizeBytes(), HDD.model(), HDD.serial(), true, null);
        assertThat(HardwareDiff.between(hw(1, List.of(SSD, HDD), List.of()), hw(1, List.of(ssdAsSdb, hddAsSdc), List.of())))
                .containsExactly(new Difference("disks[sdb].name", "nvme0n1", "sdb"), new Difference("disks[sdc].name", "sda", "sdc"));
    }

    @Test
    void aDimmOutADiskReplacedAndANicAddedAreEachNamed() {
        MachineDisk replacement = new MachineDisk("sda", HDD.sizeBytes(), HDD.model(), "ZC9XYZ", true, null);
        var eth1 = new InventoryReported.Nic("eno2", "3c:ec:ef:00:00:02", 25000, true);
        assertThat(HardwareDiff.between(hw(1L << 38, List.of(SSD, HDD), List.of(ETH0)),
                hw(3L << 36, List.of(SSD, replacement), List.of(ETH0, eth1)))).containsExactly(
                new Difference("memoryBytes", Long.toString(1L << 38), Long.toString(3L << 36)),
                new Difference("disks[sda]", "ST4000NM0035 4000787030016 bytes serial ZC1ABC", null),
                new Difference("disks[sda]", null, "ST4000NM0035 4000787030016 bytes serial ZC9XYZ"),
                new Difference("nics[3c:ec:ef:00:00:02]", null, "eno2"));
    }
}
