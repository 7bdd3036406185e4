package io.pxewings.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class NeighbourTableTest {

    /** /proc/net/arp as Linux writes it, from the lab's namespace: a resolved client, one being resolved, a gateway. */
    static final List<String> TABLE = List.of(
            "IP address       HW type     Flags       HW address            Mask     Device",
            "10.77.0.100      0x1         0x2         52:54:00:77:00:11     *        wings0",
            "10.77.0.101      0x1         0x0         00:00:00:00:00:00     *        wings0",
            "10.77.0.254      0x1         0x6         0A:1B:2C:3D:4E:5F     *        wings0",
            "garbage",
            "10.77.0.102      0x1         zz          52:54:00:77:00:12     *        wings0");

    @Test
    void aResolvedNeighbourNamesItsMac() {
        assertThat(NeighbourTable.parse(TABLE, "10.77.0.100")).contains("52:54:00:77:00:11");
        assertThat(NeighbourTable.parse(TABLE, "10.77.0.254")).as("lower case, like every MAC in the facts")
                .contains("0a:1b:2c:3d:4e:5f");
    }

    @Test
    void incompleteUnknownAndMalformedEntriesNameNothing() {
        assertThat(NeighbourTable.parse(TABLE, "10.77.0.101")).as("still resolving").isEmpty();
        assertThat(NeighbourTable.parse(TABLE, "10.77.0.102")).as("bad flags").isEmpty();
        assertThat(NeighbourTable.parse(TABLE, "10.77.0.1")).isEmpty();
        assertThat(NeighbourTable.parse(TABLE, "10.77.0.10")).as("no prefix match").isEmpty();
        assertThat(NeighbourTable.parse(List.of(), "10.77.0.100")).isEmpty();
    }

    @Test
    void readsThisNamespacesTableWithoutFailing() {
        // Loopback is never in the ARP table; the read itself must work on Linux.
        assertThat(NeighbourTable.mac("127.0.0.1")).isEmpty();
    }
}
