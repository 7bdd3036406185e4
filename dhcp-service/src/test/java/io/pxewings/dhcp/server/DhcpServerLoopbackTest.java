package io.pxewings.dhcp.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.dhcp.codec.DhcpCodec;
import io.pxewings.dhcp.codec.DhcpPacket;
import io.pxewings.dhcp.codec.Hex;
import io.pxewings.dhcp.codec.MessageType;
import io.pxewings.dhcp.codec.OptionCode;
import io.pxewings.dhcp.lease.Ipv4;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.dhcp.DiscoverSeen;
import io.pxewings.events.dhcp.Reservation;
import io.pxewings.events.boot.BootIntent;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventInjector;
import org.awaitility.Awaitility;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The running service over real UDP on loopback: the test plays a DHCP relay (giaddr 127.0.0.1),
 * as perfdhcp does, so no broadcast and no network namespace is needed.
 */
@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
class DhcpServerLoopbackTest {

    @Inject
    DhcpServer server;

    @Inject
    MeterRegistry registry;

    @Inject
    io.pxewings.dhcp.lease.LeaseStore store;

    static DhcpPacket captured(String name) throws Exception {
        try (var in = DhcpServerLoopbackTest.class.getResourceAsStream("/golden/" + name)) {
            return DhcpCodec.decode(Hex.parse(new String(in.readAllBytes())));
        }
    }

    DhcpPacket exchange(DatagramSocket relay, DhcpPacket request) throws Exception {
        byte[] out = DhcpCodec.encode(request);
        relay.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), server.port()));
        byte[] in = new byte[1500];
        DatagramPacket reply = new DatagramPacket(in, in.length);
        relay.receive(reply);
        return DhcpCodec.decode(Arrays.copyOf(in, reply.getLength()));
    }

    @Test
    void aRelayedIpxeClientGetsALeaseAndItsScript() throws Exception {
        try (DatagramSocket relay = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            relay.setSoTimeout(5000);
            DhcpPacket discover = captured("capture-ipxe-bios-discover.hex").toBuilder()
                    .giaddr(Ipv4.parse("127.0.0.1")).hops(1).build();

            DhcpPacket offer = exchange(relay, discover);

            assertThat(offer.messageType()).contains(MessageType.OFFER);
            assertThat(offer.xid()).isEqualTo(discover.xid());
            String ip = Ipv4.text(offer.yiaddr());
            assertThat(ip).startsWith("127.0.1.");
            assertThat(offer.options().string(OptionCode.BOOTFILE_NAME)).hasValueSatisfying(f -> assertThat(f)
                    .startsWith("http://127.0.0.1:8080/boot.ipxe?mac=${net0/mac}").contains("&serial=${serial:uristring}"));

            DhcpPacket request = discover.toBuilder().options(discover.options().toBuilder()
                    .putU8(OptionCode.MESSAGE_TYPE, 3)
                    .putIp(OptionCode.SERVER_IDENTIFIER, offer.options().ip(OptionCode.SERVER_IDENTIFIER).orElseThrow())
                    .putIp(OptionCode.REQUESTED_IP, offer.yiaddr()).build()).build();
            DhcpPacket ack = exchange(relay, request);

            assertThat(ack.messageType()).contains(MessageType.ACK);
            assertThat(Ipv4.text(ack.yiaddr())).isEqualTo(ip);
            given().get("/api/v1/dhcp/leases").then().statusCode(200)
                    .body("findAll { it.mac == '52:54:00:12:34:56' }.state", hasItem("bound"))
                    .body("find { it.mac == '52:54:00:12:34:56' }.ip", equalTo(ip));
            assertFactsInOrder(ip);
            given().get("/api/v1/dhcp/machines/52:54:00:12:34:56/explain").then().statusCode(200)
                    .body("architecture", equalTo("X86_BIOS"))
                    .body("userClass", hasItem("iPXE"))
                    .body("uuid", equalTo("4c4c4544-0042-3510-8052-b4c04f4d3732"))
                    .body("noProxyDhcp", equalTo(true))
                    .body("lease.state", equalTo("bound"));
        }
    }

    /** discover.seen, boot.offered and lease.bound for the MAC reach the real broker, in that order. */
    static void assertFactsInOrder(String ip) {
        try (EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.DHCP_FACTS.name())) {
            String mac = "52:54:00:12:34:56";
            WingsEvent<?> seen = probe.await(e -> e.type() == EventTypes.DHCP_DISCOVER_SEEN && mac.equals(e.subject()),
                    Duration.ofSeconds(30));
            DiscoverSeen d = seen.dataAs(EventTypes.DHCP_DISCOVER_SEEN);
            assertThat(d.architecture()).isEqualTo("X86_BIOS");
            assertThat(d.userClass()).containsExactly("iPXE");
            assertThat(d.relay()).isEqualTo("127.0.0.1");
            assertThat(d.uuid()).isEqualTo("4c4c4544-0042-3510-8052-b4c04f4d3732");
            WingsEvent<?> offered = probe.await(e -> e.type() == EventTypes.DHCP_BOOT_OFFERED && mac.equals(e.subject()),
                    Duration.ofSeconds(30));
            assertThat(offered.dataAs(EventTypes.DHCP_BOOT_OFFERED).bootFile()).startsWith("http://127.0.0.1:8080/boot.ipxe");
            WingsEvent<?> bound = probe.await(e -> e.type() == EventTypes.DHCP_LEASE_BOUND && mac.equals(e.subject()),
                    Duration.ofSeconds(30));
            assertThat(bound.dataAs(EventTypes.DHCP_LEASE_BOUND).ip()).isEqualTo(ip);
            assertThat(bound.site()).isEqualTo("test");
            assertThat(List.of(seen.time(), offered.time(), bound.time())).isSorted();
        }
    }

    @Test
    void garbageIsDroppedCountedAndTheServerKeepsAnswering() throws Exception {
        try (DatagramSocket relay = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            relay.setSoTimeout(1000);
            byte[][] junk = {new byte[10], new byte[300], "GET / HTTP/1.1\r\n\r\n".getBytes()};
            for (byte[] j : junk) {
                relay.send(new DatagramPacket(j, j.length, InetAddress.getLoopbackAddress(), server.port()));
            }
            DatagramPacket nothing = new DatagramPacket(new byte[1500], 1500);
            try {
                relay.receive(nothing);
                throw new AssertionError("garbage got a reply");
            } catch (SocketTimeoutException expected) {
                // dropped, as it should be
            }
            relay.setSoTimeout(5000);
            DhcpPacket discover = captured("capture-udhcpc-discover.hex").toBuilder()
                    .giaddr(Ipv4.parse("127.0.0.1")).chaddr(Hex.parse("525400feed01")).build();
            assertThat(exchange(relay, discover).messageType()).contains(MessageType.OFFER);
        }
        assertThat(registry.get("wings_dhcp_packets_dropped").tag("reason", "truncated").counter().count()).isGreaterThanOrEqualTo(2);
        assertThat(registry.get("wings_dhcp_packets_dropped").tag("reason", "bad_magic_cookie").counter().count()).isGreaterThanOrEqualTo(1);
    }

    /**
     * A burst the kernel cannot queue while the server is busy: the kernel drops the overflow and
     * the metric shows it. The event loop is held on purpose (as a long GC pause would), so the
     * real kernel does the dropping; the burst is bounded (20,000 datagrams of 300 bytes, far more
     * than a 4 MiB receive buffer holds) and the server answers again afterwards.
     */
    @Test
    void kernelDropsInABurstAreCounted() throws Exception {
        double before = registry.get("wings_dhcp_socket_drops").tag("socket", "dhcp").functionCounter().count();
        var held = server.onLoop(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        try (DatagramSocket relay = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] junk = new byte[300];
            for (int i = 0; i < 20_000; i++) {
                relay.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), server.port()));
            }
            assertThat(registry.get("wings_dhcp_socket_queue_bytes").tag("socket", "dhcp").gauge().value())
                    .as("the backlog waiting in the kernel").isGreaterThan(0);
            held.toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(registry.get("wings_dhcp_socket_drops").tag("socket", "dhcp").functionCounter().count())
                    .as("datagrams the kernel dropped").isGreaterThan(before);
            // The backlog drains (the gauge reads the kernel's queue), then a client is answered.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                    () -> registry.get("wings_dhcp_socket_queue_bytes").tag("socket", "dhcp").gauge().value() == 0);
            relay.setSoTimeout(5000);
            DhcpPacket discover = captured("capture-udhcpc-discover.hex").toBuilder()
                    .giaddr(Ipv4.parse("127.0.0.1")).chaddr(Hex.parse("525400feed02")).build();
            assertThat(exchange(relay, discover).messageType()).as("answers after the burst").contains(MessageType.OFFER);
        }
    }

    /** Option 67: the script URL is longer than the 128-byte 'file' field, so only the option carries it. */
    static String bootFile(DhcpPacket p) {
        return p.options().string(OptionCode.BOOTFILE_NAME).orElse("");
    }

    /** An intent published on the real broker reaches the local view and changes the next offer; a tombstone undoes it. */
    @Test
    void bootIntentsFromKafkaSteerTheOffer() throws Exception {
        String mac = "52:54:00:ab:cd:ef";
        DhcpPacket discover = captured("capture-ipxe-bios-discover.hex").toBuilder()
                .giaddr(Ipv4.parse("127.0.0.1")).chaddr(Hex.parse("525400abcdef")).build();
        try (DatagramSocket relay = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             EventInjector injector = new EventInjector(EmbeddedInfra.shared().kafkaBootstrap())) {
            relay.setSoTimeout(5000);
            assertThat(bootFile(exchange(relay, discover))).startsWith("http://127.0.0.1:8080/boot.ipxe");

            BootIntent local = new BootIntent(mac, "local", "m-42", "provisioned", java.time.Instant.now());
            injector.send(new WingsEvent<>(java.util.UUID.randomUUID().toString(), EventTypes.BOOT_INTENT_UPDATED,
                    "/sites/test/orchestrator/o-1", mac, "test", java.time.Instant.now(), Traceparent.newRoot(), mac, local));
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> bootFile(exchange(relay, discover)).isEmpty());
            given().get("/api/v1/dhcp/machines/" + mac + "/explain").then().statusCode(200)
                    .body("reason", org.hamcrest.Matchers.startsWith("boot intent 'local' (provisioned)"))
                    .body("bootFile", org.hamcrest.Matchers.nullValue());

            injector.sendRaw(Topics.BOOT_INTENTS.name(), mac, List.of(), null);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !bootFile(exchange(relay, discover)).isEmpty());
        }
    }

    /** A reservation published on the real broker is what the MAC is offered next; its tombstone frees it. */
    @Test
    void reservationsFromKafkaFixTheAddress() throws Exception {
        String mac = "52:54:00:00:77:01";
        DhcpPacket discover = captured("capture-udhcpc-discover.hex").toBuilder()
                .giaddr(Ipv4.parse("127.0.0.1")).chaddr(Hex.parse("525400007701")).build();
        try (DatagramSocket relay = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             EventInjector injector = new EventInjector(EmbeddedInfra.shared().kafkaBootstrap())) {
            relay.setSoTimeout(5000);
            Reservation r = new Reservation(mac, "127.0.1.19", "node-77", "m-77", java.time.Instant.now());
            injector.send(new WingsEvent<>(java.util.UUID.randomUUID().toString(), EventTypes.DHCP_RESERVATION_UPDATED,
                    "/sites/test/inventory-service/i-1", mac, "test", java.time.Instant.now(), Traceparent.newRoot(), mac, r));
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Ipv4.text(exchange(relay, discover).yiaddr()).equals("127.0.1.19"));

            injector.sendRaw(Topics.DHCP_RESERVATIONS.name(), mac, List.of(), null);
            DhcpPacket other = discover.toBuilder().chaddr(Hex.parse("525400007702")).build();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> store.reservation(mac).isEmpty());
            assertThat(Ipv4.text(exchange(relay, other).yiaddr())).isNotEqualTo("127.0.1.19");
        }
    }

    @Test
    void explainRefusesABadMacAndKnowsNothingOfAnUnseenOne() {
        given().get("/api/v1/dhcp/machines/not-a-mac/explain").then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/v1/dhcp/machines/02:00:00:00:00:99/explain").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void readinessIncludesTheDhcpSocket() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'DHCP socket' }.status", equalTo("UP"));
    }
}
