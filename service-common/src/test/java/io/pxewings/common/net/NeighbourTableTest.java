package io.pxewings.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeighbourTableTest {

    static final String HEADER = "IP address       HW type     Flags       HW address            Mask     Device";

    /** /proc/net/arp as Linux writes it, from the lab's namespace: a resolved client, one being resolved, a gateway. */
    static final List<String> TABLE = List.of(
            HEADER,
            "10.77.0.100      0x1         0x2         52:54:00:77:00:11     *        wings0",
            "10.77.0.101      0x1         0x0         00:00:00:00:00:00     *        wings0",
            "10.77.0.254      0x1         0x6         0A:1B:2C:3D:4E:5F     *        wings0",
            "garbage",
            "10.77.0.102      0x1         zz          52:54:00:77:00:12     *        wings0");

    @Test
    void aResolvedNeighbourNamesItsMac() {
        assertThat(NeighbourTable.parse(TABLE)).containsEntry("10.77.0.100", "52:54:00:77:00:11")
                .as("lower case, like every MAC in the facts").containsEntry("10.77.0.254", "0a:1b:2c:3d:4e:5f");
    }

    @Test
    void incompleteUnknownAndMalformedEntriesNameNothing() {
        assertThat(NeighbourTable.parse(TABLE)).as("still resolving, bad flags, header, garbage").hasSize(2)
                .doesNotContainKeys("10.77.0.101", "10.77.0.102", "10.77.0.1", "10.77.0.10");
        assertThat(NeighbourTable.parse(List.of())).isEmpty();
    }

    @Test
    void aMissReadsTheTableAgainButNotForEveryLookup(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("arp");
        Files.write(file, List.of(HEADER));
        NeighbourTable table = new NeighbourTable(file);
        assertThat(table.mac("10.77.0.100")).isEmpty();
        Files.write(file, TABLE);
        assertThat(table.mac("10.77.0.100")).as("a miss just after a read uses the snapshot").isEmpty();
        Thread.sleep(NeighbourTable.MISS_REREAD_MILLIS + 50);
        assertThat(table.mac("10.77.0.100")).as("a later miss reads the table again").contains("52:54:00:77:00:11");
    }

    @Test
    void readsThisNamespacesTableWithoutFailing() {
        // Loopback is never in the ARP table; the read itself must work on Linux.
        assertThat(new NeighbourTable().mac("127.0.0.1")).isEmpty();
    }
}
