package io.pxewings.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class UdpSocketStatsTest {

    /** Rows as Linux 6.1 prints them; the second socket (port 0x1A6F = 6767) holds 2304 queued bytes and 17 drops. */
    static final List<String> TABLE = List.of(
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            ",
            "  211: 0100007F:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 31337 2 0000000000000000 0         ",
            "  312: 00000000:1A6F 00000000:0000 07 00000000:00000900 00:00000000 00000000     0        0 31338 2 0000000000000000 17        ",
            "  313: 0100007F:1A6F 00000000:0000 07 00000000:00000100 00:00000000 00000000     0        0 31339 2 0000000000000000 3         ",
            "garbage line");

    @Test
    void sumsTheRowsOfOnePort() {
        assertThat(UdpSocketStats.parse(TABLE, 6767)).isEqualTo(new UdpSocketStats.Counters(20, 0x900 + 0x100));
        assertThat(UdpSocketStats.parse(TABLE, 68)).isEqualTo(new UdpSocketStats.Counters(0, 0));
        assertThat(UdpSocketStats.parse(TABLE, 69)).isEqualTo(new UdpSocketStats.Counters(0, 0));
    }

    @Test
    void readsTheKernelsQueueOfARealSocket() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket client = new DatagramSocket()) {
            byte[] payload = new byte[300];
            for (int i = 0; i < 3; i++) {
                client.send(new DatagramPacket(payload, payload.length, server.getLocalSocketAddress()));
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            UdpSocketStats.Counters c = UdpSocketStats.forPort(server.getLocalPort());
            while (c.receiveQueueBytes() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                c = UdpSocketStats.forPort(server.getLocalPort());
            }
            assertThat(c.receiveQueueBytes()).as("three unread datagrams wait in the kernel").isGreaterThanOrEqualTo(900);
            assertThat(c.drops()).isZero();
        }
    }
}
