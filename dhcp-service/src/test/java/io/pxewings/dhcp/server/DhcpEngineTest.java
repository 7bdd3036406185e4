package io.pxewings.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.pxewings.dhcp.boot.BootDecider;
import io.pxewings.dhcp.boot.SiteBootDefaults;
import io.pxewings.dhcp.codec.DhcpCodec;
import io.pxewings.dhcp.codec.DhcpOptions;
import io.pxewings.dhcp.codec.DhcpPacket;
import io.pxewings.dhcp.codec.Hex;
import io.pxewings.dhcp.codec.MessageType;
import io.pxewings.dhcp.codec.OptionCode;
import io.pxewings.dhcp.codec.SubOptions;
import io.pxewings.dhcp.lease.Ipv4;
import io.pxewings.dhcp.lease.Lease;
import io.pxewings.dhcp.lease.LeaseStore;
import io.pxewings.dhcp.lease.Subnet;
import io.pxewings.events.boot.BootIntent;

/** RFC 2131 §4.3 server behaviour, driven by DISCOVERs captured from real clients. */
class DhcpEngineTest {

    static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");
    static final InetSocketAddress CLIENT = new InetSocketAddress(Ipv4.parse("0.0.0.0"), 68);
    static final Subnet LAB = new Subnet("lab", Ipv4.parse("10.77.0.0"), 24, List.of(Subnet.parseRange("10.77.0.100-10.77.0.101")),
            Ipv4.parse("10.77.0.1"), List.of(Ipv4.parse("10.77.0.1")), Duration.ofHours(1));
    static final Subnet RACK = new Subnet("rack", Ipv4.parse("10.78.0.0"), 24, List.of(Subnet.parseRange("10.78.0.50-10.78.0.60")),
            Ipv4.parse("10.78.0.1"), List.of(), Duration.ofMinutes(30));
    public static final SiteBootDefaults SITE = new SiteBootDefaults("10.77.0.1", "undionly.kpxe", "snponly.efi", "arm64/ipxe.efi",
            "http://10.77.0.1:8080/files/ipxe.efi", "http://10.77.0.1:8080/files/arm64/ipxe.efi",
            "http://10.77.0.1:8080/boot.ipxe?mac=${net0/mac}", "http://10.77.0.1:8080/onie/installer");

    final LeaseStore store = new LeaseStore();
    final Map<String, BootIntent> intents = new HashMap<>();
    final DhcpEngine engine = engine(DhcpEngine.Discovery.discover);

    DhcpEngine engine(DhcpEngine.Discovery discovery) {
        return new DhcpEngine(new DhcpEngine.Settings(Ipv4.parse("10.77.0.1"), List.of(LAB, RACK), Duration.ofSeconds(60),
                Duration.ofMinutes(10), Ipv4.parse("255.255.255.255"), 68, discovery), store, new BootDecider(SITE),
                mac -> Optional.ofNullable(intents.get(mac)));
    }

    public static DhcpPacket capture(String client) throws Exception {
        try (var in = DhcpEngineTest.class.getResourceAsStream("/golden/capture-" + client + "-discover.hex")) {
            return DhcpCodec.decode(Hex.parse(new String(in.readAllBytes())));
        }
    }

    DhcpEngine.Outcome handle(DhcpPacket p, InetSocketAddress from) throws Exception {
        return engine.handle(p, DhcpCodec.requireRequest(p), from, NOW);
    }

    static DhcpPacket request(DhcpPacket discover, String serverId, String requested, String ciaddr) {
        DhcpOptions.Builder o = discover.options().toBuilder().putU8(OptionCode.MESSAGE_TYPE, MessageType.REQUEST.code());
        if (serverId != null) {
            o.putIp(OptionCode.SERVER_IDENTIFIER, Ipv4.parse(serverId));
        }
        if (requested != null) {
            o.putIp(OptionCode.REQUESTED_IP, Ipv4.parse(requested));
        }
        DhcpPacket.Builder b = discover.toBuilder().options(o.build());
        if (ciaddr != null) {
            b.ciaddr(Ipv4.parse(ciaddr));
        }
        return b.build();
    }

    static DhcpEngine.Reply reply(DhcpEngine.Outcome o) {
        assertThat(o).isInstanceOf(DhcpEngine.Reply.class);
        return (DhcpEngine.Reply) o;
    }

    @Test
    void discoverOfferRequestAckWithUdhcpc() throws Exception {
        DhcpPacket discover = capture("udhcpc");
        DhcpEngine.Reply offer = reply(handle(discover, CLIENT));
        assertThat(offer.type()).isEqualTo(MessageType.OFFER);
        assertThat(offer.durable()).as("offers are not journaled").isEmpty();
        DhcpPacket o = offer.packet();
        assertThat(o.op()).isEqualTo(DhcpPacket.BOOTREPLY);
        assertThat(o.xid()).isEqualTo(discover.xid());
        assertThat(Ipv4.text(o.yiaddr())).isEqualTo("10.77.0.100");
        assertThat(o.options().u32(OptionCode.LEASE_TIME)).contains(3600L);
        assertThat(o.options().u32(OptionCode.RENEWAL_TIME)).contains(1800L);
        assertThat(o.options().u32(OptionCode.REBINDING_TIME)).contains(3150L);
        assertThat(o.options().ip(OptionCode.SUBNET_MASK).map(Ipv4::text)).contains("255.255.255.0");
        assertThat(o.options().has(OptionCode.BOOTFILE_NAME)).as("udhcpc is no network-boot client").isFalse();
        assertThat(offer.to()).isEqualTo(new InetSocketAddress(Ipv4.parse("255.255.255.255"), 68));

        DhcpEngine.Reply ack = reply(handle(request(discover, "10.77.0.1", "10.77.0.100", null), CLIENT));
        assertThat(ack.type()).isEqualTo(MessageType.ACK);
        assertThat(ack.durable()).hasValueSatisfying(l -> {
            assertThat(l.state()).isEqualTo(Lease.State.BOUND);
            assertThat(l.mac()).isEqualTo("52:54:00:12:34:56");
            assertThat(l.hostname()).isEqualTo("lab-node-1");
            assertThat(l.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        });
        assertThat(Ipv4.text(ack.packet().yiaddr())).isEqualTo("10.77.0.100");
        assertThat(DhcpCodec.decode(DhcpCodec.encode(ack.packet()))).isEqualTo(ack.packet());
    }

    @Test
    void aRequestedLeaseTimeIsHonouredWithinTheSubnetBoundsOnly() throws Exception {
        DhcpPacket asks20s = withLeaseTime(capture("udhcpc"), 20);
        // LAB sets no min-lease-time: what the client asks for is ignored.
        assertThat(reply(handle(asks20s, CLIENT)).packet().options().u32(OptionCode.LEASE_TIME)).contains(3600L);

        Subnet flexible = new Subnet("lab", LAB.network(), LAB.prefix(), LAB.pools(), LAB.router(), LAB.dns(),
                Duration.ofHours(1), Duration.ofSeconds(30));
        DhcpEngine e = new DhcpEngine(new DhcpEngine.Settings(Ipv4.parse("10.77.0.1"), List.of(flexible), Duration.ofSeconds(60),
                Duration.ofMinutes(10), Ipv4.parse("255.255.255.255"), 68, DhcpEngine.Discovery.discover), new LeaseStore(),
                new BootDecider(SITE), mac -> Optional.empty());
        DhcpPacket offer = reply(e.handle(withLeaseTime(capture("udhcpc"), 600), MessageType.DISCOVER, CLIENT, NOW)).packet();
        assertThat(offer.options().u32(OptionCode.LEASE_TIME)).contains(600L);
        assertThat(offer.options().u32(OptionCode.RENEWAL_TIME)).contains(300L);
        DhcpPacket request = request(withLeaseTime(capture("udhcpc"), 20), "10.77.0.1", Ipv4.text(offer.yiaddr()), null);
        DhcpEngine.Reply ack = reply(e.handle(request, MessageType.REQUEST, CLIENT, NOW));
        assertThat(ack.packet().options().u32(OptionCode.LEASE_TIME)).as("raised to min-lease-time").contains(30L);
        assertThat(ack.durable()).hasValueSatisfying(l -> assertThat(l.expiresAt()).isEqualTo(NOW.plusSeconds(30)));
        DhcpPacket greedy = request(withLeaseTime(capture("udhcpc"), 0xffffffffL), "10.77.0.1", Ipv4.text(offer.yiaddr()), null);
        assertThat(reply(e.handle(greedy, MessageType.REQUEST, CLIENT, NOW)).packet().options().u32(OptionCode.LEASE_TIME))
                .as("capped at lease-time").contains(3600L);
    }

    static DhcpPacket withLeaseTime(DhcpPacket p, long seconds) {
        return p.toBuilder().options(p.options().toBuilder().putU32(OptionCode.LEASE_TIME, seconds).build()).build();
    }

    @Test
    void ipxeGetsItsScriptAndNoProxyDhcpWait() throws Exception {
        DhcpEngine.Reply offer = reply(handle(capture("ipxe-bios"), CLIENT));
        DhcpPacket o = offer.packet();
        assertThat(o.file()).isEqualTo("http://10.77.0.1:8080/boot.ipxe?mac=${net0/mac}");
        assertThat(o.options().string(OptionCode.BOOTFILE_NAME)).contains(o.file());
        SubOptions ipxe = SubOptions.decode(o.options().bytes(OptionCode.IPXE_ENCAPSULATED).orElseThrow(), true);
        assertThat(ipxe.get(OptionCode.IPXE_NO_PXEDHCP)).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
        assertThat(offer.boot().reason()).contains("chainload loop");
    }

    @Test
    void uefiHttpBootGetsAFullUrlForItsArchitectureAndNoTftpServer() throws Exception {
        // Captured from OVMF booting by HTTP (PXE switched off with its fw_cfg knobs).
        DhcpPacket x64 = capture("uefi-http");
        DhcpEngine.Reply offer = reply(handle(x64, CLIENT));
        assertThat(offer.packet().file()).isEqualTo("http://10.77.0.1:8080/files/ipxe.efi?mac=52:54:00:12:34:56");
        assertThat(offer.packet().options().string(OptionCode.VENDOR_CLASS_ID)).contains("HTTPClient");
        assertThat(offer.boot().reason()).contains("UEFI HTTP Boot (arch 16)");

        DhcpPacket arm64 = withArch(x64, 19, "HTTPClient:Arch:00019:UNDI:003001");
        assertThat(reply(handle(arm64, CLIENT)).packet().file()).isEqualTo("http://10.77.0.1:8080/files/arm64/ipxe.efi?mac=52:54:00:12:34:56");

        DhcpPacket riscv = withArch(x64, 28, "HTTPClient:Arch:00028:UNDI:003001");
        DhcpEngine.Reply none = reply(handle(riscv, CLIENT));
        assertThat(none.packet().file()).isEmpty();
        assertThat(none.boot().reason()).contains("architecture 28 with no boot file configured");
    }

    static DhcpPacket withArch(DhcpPacket p, int arch, String vendorClass) {
        return p.toBuilder().options(p.options().toBuilder().putU16(OptionCode.CLIENT_ARCHITECTURE, arch)
                .putString(OptionCode.VENDOR_CLASS_ID, vendorClass).build()).build();
    }

    @Test
    void uefiPxeGetsSnponlyByTftpAndThePxeVendorOptions() throws Exception {
        DhcpEngine.Reply offer = reply(handle(capture("uefi-pxe"), CLIENT));
        DhcpPacket o = offer.packet();
        assertThat(o.file()).isEqualTo("snponly.efi");
        assertThat(Ipv4.text(o.siaddr())).isEqualTo("10.77.0.1");
        assertThat(o.options().string(OptionCode.VENDOR_CLASS_ID)).contains("PXEClient");
        assertThat(o.options().bytes(OptionCode.VENDOR_SPECIFIC)).hasValueSatisfying(v -> assertThat(v).containsExactly(6, 1, 8, 255));
        assertThat(o.broadcast()).isTrue();
        assertThat(offer.to().getAddress()).isEqualTo(Ipv4.parse("255.255.255.255"));
    }

    @Test
    void aRelayedRequestIsServedFromTheRelaysSubnetAndAnsweredToTheRelay() throws Exception {
        byte[] circuit = {1, 4, 'e', 't', 'h', '7'};
        DhcpPacket relayed = capture("udhcpc").toBuilder().giaddr(Ipv4.parse("10.78.0.1")).hops(1)
                .options(capture("udhcpc").options().toBuilder().put(OptionCode.RELAY_AGENT_INFORMATION, circuit).build())
                .build();
        DhcpEngine.Reply offer = reply(handle(relayed, new InetSocketAddress(Ipv4.parse("10.78.0.1"), 6700)));
        assertThat(Ipv4.text(offer.packet().yiaddr())).isEqualTo("10.78.0.50");
        assertThat(offer.packet().options().u32(OptionCode.LEASE_TIME)).contains(1800L);
        assertThat(offer.to()).isEqualTo(new InetSocketAddress(Ipv4.parse("10.78.0.1"), 6700));
        assertThat(offer.packet().giaddr()).isEqualTo(Ipv4.parse("10.78.0.1"));
        assertThat(offer.packet().options().bytes(OptionCode.RELAY_AGENT_INFORMATION)).hasValue(circuit);
    }

    @Test
    void initRebootIsSilentForUnknownClientsAndAckedForKnownOnes() throws Exception {
        DhcpPacket discover = capture("dhclient");
        assertThat(handle(request(discover, null, "10.77.0.100", null), CLIENT))
                .isEqualTo(new DhcpEngine.NoReply("init-reboot-unknown-client", Optional.empty()));
        handle(discover, CLIENT);
        handle(request(discover, "10.77.0.1", "10.77.0.100", null), CLIENT);
        assertThat(reply(handle(request(discover, null, "10.77.0.100", null), CLIENT)).type()).isEqualTo(MessageType.ACK);
        assertThat(reply(handle(request(discover, null, "10.99.0.5", null), CLIENT)).type())
                .as("an address from another network").isEqualTo(MessageType.NAK);
    }

    @Test
    void anotherClientsAddressIsNakedAndBroadcast() throws Exception {
        DhcpPacket a = capture("udhcpc");
        handle(a, CLIENT);
        handle(request(a, "10.77.0.1", "10.77.0.100", null), CLIENT);
        DhcpPacket b = capture("dhcpcd").toBuilder().chaddr(Hex.parse("525400aabbcc")).build();
        DhcpEngine.Reply nak = reply(handle(request(b, "10.77.0.1", "10.77.0.100", null), CLIENT));
        assertThat(nak.type()).isEqualTo(MessageType.NAK);
        assertThat(nak.packet().yiaddr()).isEqualTo(DhcpPacket.zero());
        assertThat(nak.packet().options().has(OptionCode.LEASE_TIME)).isFalse();
        assertThat(nak.to().getAddress()).isEqualTo(Ipv4.parse("255.255.255.255"));
    }

    @Test
    void renewingIsUnicastToTheClientsAddress() throws Exception {
        DhcpPacket d = capture("udhcpc");
        handle(d, CLIENT);
        handle(request(d, "10.77.0.1", "10.77.0.100", null), CLIENT);
        DhcpEngine.Reply ack = reply(handle(request(d, null, null, "10.77.0.100"),
                new InetSocketAddress(Ipv4.parse("10.77.0.100"), 68)));
        assertThat(ack.type()).isEqualTo(MessageType.ACK);
        assertThat(ack.to()).isEqualTo(new InetSocketAddress(Ipv4.parse("10.77.0.100"), 68));
        assertThat(ack.durable()).isPresent();
    }

    @Test
    void choosingAnotherServerReleasesTheOffer() throws Exception {
        DhcpPacket d = capture("udhcpc");
        handle(d, CLIENT);
        assertThat(handle(request(d, "10.77.0.99", "10.77.0.100", null), CLIENT).label()).isEqualTo("other-server-chosen");
        assertThat(store.byMac(d.mac())).isEmpty();
    }

    @Test
    void declineQuarantinesAndReleaseFrees() throws Exception {
        DhcpPacket d = capture("udhcpc");
        handle(d, CLIENT);
        handle(request(d, "10.77.0.1", "10.77.0.100", null), CLIENT);
        DhcpPacket decline = request(d, "10.77.0.1", "10.77.0.100", null).toBuilder()
                .options(request(d, "10.77.0.1", "10.77.0.100", null).options().toBuilder().putU8(OptionCode.MESSAGE_TYPE, 4).build())
                .build();
        DhcpEngine.Outcome declined = handle(decline, CLIENT);
        assertThat(declined.label()).isEqualTo("declined");
        assertThat(declined.durable()).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(Lease.State.DECLINED));
        DhcpEngine.Reply next = reply(handle(d, CLIENT));
        assertThat(Ipv4.text(next.packet().yiaddr())).isEqualTo("10.77.0.101");

        handle(request(d, "10.77.0.1", "10.77.0.101", null), CLIENT);
        DhcpPacket release = d.toBuilder().ciaddr(Ipv4.parse("10.77.0.101"))
                .options(d.options().toBuilder().putU8(OptionCode.MESSAGE_TYPE, 7).build()).build();
        assertThat(handle(release, CLIENT).durable()).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(Lease.State.RELEASED));
    }

    @Test
    void anExhaustedPoolIsReportedNotCrashed() throws Exception {
        for (String mac : List.of("525400000001", "525400000002")) {
            DhcpPacket d = capture("udhcpc").toBuilder().chaddr(Hex.parse(mac)).build();
            DhcpEngine.Reply o = reply(handle(d, CLIENT));
            handle(request(d, "10.77.0.1", Ipv4.text(o.packet().yiaddr()), null), CLIENT);
        }
        DhcpPacket third = capture("udhcpc").toBuilder().chaddr(Hex.parse("525400000003")).build();
        assertThat(handle(third, CLIENT).label()).isEqualTo("pool-exhausted");
    }

    @Test
    void aLocalIntentGivesNoBootFileAndSaysWhy() throws Exception {
        intents.put("52:54:00:12:34:56", new BootIntent("52:54:00:12:34:56", "local", "m-1", "provisioned", NOW));
        DhcpEngine.Reply offer = reply(handle(capture("ipxe-bios"), CLIENT));
        assertThat(offer.packet().file()).isEmpty();
        assertThat(offer.packet().options().has(OptionCode.BOOTFILE_NAME)).isFalse();
        assertThat(offer.boot().reason()).contains("boot intent 'local' (provisioned)");
        intents.put("52:54:00:12:34:56", new BootIntent("52:54:00:12:34:56", "install", "m-1", "reinstall", NOW));
        DhcpEngine.Reply again = reply(handle(capture("ipxe-bios"), CLIENT));
        assertThat(again.packet().options().string(OptionCode.BOOTFILE_NAME)).hasValueSatisfying(f -> assertThat(f).startsWith("http://10.77.0.1:8080/boot.ipxe"));
        assertThat(again.boot().reason()).startsWith("boot intent 'install' (reinstall)");
    }

    @Test
    void theIgnorePolicyAnswersOnlyKnownMachines() throws Exception {
        DhcpEngine strict = engine(DhcpEngine.Discovery.ignore);
        DhcpPacket d = capture("uefi-pxe");
        assertThat(strict.handle(d, MessageType.DISCOVER, CLIENT, NOW).label()).isEqualTo("unknown-mac-ignored");
        intents.put(d.mac(), new BootIntent(d.mac(), "discover", null, "expected machine", NOW));
        assertThat(strict.handle(d, MessageType.DISCOVER, CLIENT, NOW).label()).isEqualTo("offer");
        DhcpPacket reserved = capture("udhcpc").toBuilder().chaddr(Hex.parse("525400000077")).build();
        store.reserve("52:54:00:00:00:77", Ipv4.parse("10.77.0.77"));
        DhcpEngine.Reply r = reply(strict.handle(reserved, MessageType.DISCOVER, CLIENT, NOW));
        assertThat(Ipv4.text(r.packet().yiaddr())).isEqualTo("10.77.0.77");
    }

    @Test
    void informGetsConfigurationOnly() throws Exception {
        DhcpPacket d = capture("udhcpc");
        DhcpPacket inform = d.toBuilder().ciaddr(Ipv4.parse("10.77.0.7"))
                .options(d.options().toBuilder().putU8(OptionCode.MESSAGE_TYPE, 8).build()).build();
        DhcpEngine.Reply ack = reply(handle(inform, new InetSocketAddress(Ipv4.parse("10.77.0.7"), 68)));
        assertThat(ack.packet().yiaddr()).isEqualTo(DhcpPacket.zero());
        assertThat(ack.packet().options().has(OptionCode.LEASE_TIME)).isFalse();
        assertThat(ack.packet().options().has(OptionCode.ROUTER)).isTrue();
        assertThat(ack.to()).isEqualTo(new InetSocketAddress(Ipv4.parse("10.77.0.7"), 68));
    }
}
