package io.pxewings.dhcp.server;

import static io.pxewings.dhcp.server.DhcpEngineTest.CLIENT;
import static io.pxewings.dhcp.server.DhcpEngineTest.NOW;
import static io.pxewings.dhcp.server.DhcpEngineTest.capture;
import static io.pxewings.dhcp.server.DhcpEngineTest.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.pxewings.dhcp.boot.BootDecider;
import io.pxewings.dhcp.boot.IpxeFirmware;
import io.pxewings.dhcp.boot.SiteBootDefaults;
import io.pxewings.dhcp.codec.DhcpCodec;
import io.pxewings.dhcp.codec.DhcpOptions;
import io.pxewings.dhcp.codec.DhcpPacket;
import io.pxewings.dhcp.codec.OptionCode;
import io.pxewings.dhcp.lease.Ipv4;
import io.pxewings.dhcp.lease.LeaseStore;

/**
 * {@code wings.dhcp.boot.ipxe-firmware=chainload}: iPXE in a NIC's ROM is handed the first stage
 * once per boot, and the stage, once running, gets the script. The ROM and the stage send the
 * same options byte for byte (captured from QEMU's iPXE ROM chainloading Debian's undionly.kpxe),
 * so the test tells them apart only by transaction id and time, as the server must.
 */
class IpxeFirmwareChainloadTest {

    static final SiteBootDefaults CHAINLOAD = new SiteBootDefaults("10.77.0.1", "undionly.kpxe", "snponly.efi",
            "arm64/ipxe.efi", "http://10.77.0.1:8080/files/ipxe.efi", "http://10.77.0.1:8080/files/arm64/ipxe.efi",
            "http://10.77.0.1:8080/boot.ipxe?mac=${net0/mac}", "",
            IpxeFirmware.CHAINLOAD, Duration.ofSeconds(60));
    static final String SCRIPT = "http://10.77.0.1:8080/boot.ipxe?mac=${net0/mac}";

    final DhcpEngine engine = new DhcpEngine(new DhcpEngine.Settings(Ipv4.parse("10.77.0.1"), List.of(DhcpEngineTest.LAB),
            Duration.ofSeconds(60), Duration.ofMinutes(10), Ipv4.parse("255.255.255.255"), 68, DhcpEngine.Discovery.discover),
            new LeaseStore(), new BootDecider(CHAINLOAD), mac -> Optional.empty());

    static DhcpPacket withXid(DhcpPacket p, int xid) {
        return p.toBuilder().xid(xid).build();
    }

    DhcpEngine.Reply answer(DhcpPacket p, Instant at) throws Exception {
        return DhcpEngineTest.reply(engine.handle(p, DhcpCodec.requireRequest(p), CLIENT, at));
    }

    /** DISCOVER then REQUEST of one exchange; returns the file of the ACK after checking it matches the OFFER. */
    String exchange(DhcpPacket discover, Instant at) throws Exception {
        DhcpEngine.Reply offer = answer(discover, at);
        DhcpEngine.Reply ack = answer(request(discover, "10.77.0.1", Ipv4.text(offer.packet().yiaddr()), null), at.plusSeconds(3));
        assertThat(ack.packet().file()).as("the ACK boots what the OFFER said").isEqualTo(offer.packet().file());
        return ack.packet().file();
    }

    @Test
    void theRomGetsTheFirstStageAndTheStageGetsTheScript() throws Exception {
        DhcpPacket rom = withXid(capture("ipxe-bios"), 0x1111);
        DhcpEngine.Reply offer = answer(rom, NOW);
        assertThat(offer.packet().file()).isEqualTo("undionly.kpxe");
        assertThat(Ipv4.text(offer.packet().siaddr())).as("next-server for the TFTP stage").isEqualTo("10.77.0.1");
        assertThat(offer.packet().options().string(OptionCode.VENDOR_CLASS_ID)).contains("PXEClient");
        assertThat(offer.boot().reason()).contains("ipxe-firmware=chainload");
        // The ROM resends its DISCOVER (same xid) and then REQUESTs: still the first stage, as offered.
        assertThat(answer(rom, NOW.plusSeconds(1)).packet().file()).isEqualTo("undionly.kpxe");
        assertThat(exchange(rom, NOW.plusSeconds(1))).isEqualTo("undionly.kpxe");

        // undionly.kpxe, running 18 s later (measured in QEMU), asks in a new exchange.
        DhcpPacket stage = withXid(capture("ipxe-bios"), 0x2222);
        DhcpEngine.Reply script = answer(stage, NOW.plusSeconds(18));
        assertThat(script.packet().file()).isEqualTo(SCRIPT);
        assertThat(script.boot().reason()).contains("first stage handed out 18 s ago is running");
        assertThat(exchange(stage, NOW.plusSeconds(18))).isEqualTo(SCRIPT);
    }

    @Test
    void theNextBootAfterTheWindowGetsTheFirstStageAgain() throws Exception {
        assertThat(exchange(withXid(capture("ipxe-bios"), 1), NOW)).isEqualTo("undionly.kpxe");
        assertThat(exchange(withXid(capture("ipxe-bios"), 2), NOW.plusSeconds(20))).isEqualTo(SCRIPT);
        assertThat(exchange(withXid(capture("ipxe-bios"), 3), NOW.plusSeconds(61)))
                .as("a reboot after the window: the ROM again").isEqualTo("undionly.kpxe");
        assertThat(exchange(withXid(capture("ipxe-bios"), 4), NOW.plusSeconds(75))).isEqualTo(SCRIPT);
    }

    @Test
    void pxeFirmwareFirstThenItsIpxeNeverLoops() throws Exception {
        // OVMF's own PXE (not iPXE) takes snponly.efi; snponly's iPXE then asks with the same MAC.
        DhcpPacket firmware = withXid(capture("uefi-pxe"), 10);
        assertThat(exchange(firmware, NOW)).isEqualTo("snponly.efi");
        DhcpOptions ipxe = firmware.options().toBuilder().putString(OptionCode.USER_CLASS, "iPXE").build();
        DhcpPacket snponly = firmware.toBuilder().xid(11).options(ipxe).build();
        assertThat(exchange(snponly, NOW.plusSeconds(4))).isEqualTo(SCRIPT);
    }

    @Test
    void httpBootFirmwareThenItsIpxeGetsTheScriptWithNoTftpStage() throws Exception {
        // OVMF's HTTP Boot (captured) fetches ipxe.efi by HTTP; that iPXE then asks as iPXE in
        // firmware would. It is the stage, running: the script, not undionly/snponly by TFTP.
        DhcpPacket firmware = withXid(capture("uefi-http"), 20);
        DhcpEngine.Reply offer = answer(firmware, NOW);
        assertThat(offer.packet().options().string(OptionCode.VENDOR_CLASS_ID)).contains("HTTPClient");
        assertThat(exchange(firmware, NOW)).isEqualTo("http://10.77.0.1:8080/files/ipxe.efi?mac=52:54:00:12:34:56");
        DhcpPacket ipxe = withXid(capture("ipxe-bios"), 21).toBuilder().chaddr(firmware.chaddr()).build();
        DhcpEngine.Reply script = answer(ipxe, NOW.plusSeconds(6));
        assertThat(script.packet().file()).isEqualTo(SCRIPT);
        assertThat(script.boot().reason()).contains("first stage handed out 6 s ago is running");
    }

    @Test
    void otherMachinesAreNotTakenForTheStage() throws Exception {
        assertThat(exchange(withXid(capture("ipxe-bios"), 1), NOW)).isEqualTo("undionly.kpxe");
        DhcpPacket other = withXid(capture("ipxe-bios"), 2).toBuilder().chaddr(io.pxewings.dhcp.codec.Hex.parse("525400000099")).build();
        assertThat(exchange(other, NOW.plusSeconds(5))).isEqualTo("undionly.kpxe");
    }

    @Test
    void explainingRemembersNothing() throws Exception {
        DhcpPacket rom = withXid(capture("ipxe-bios"), 1);
        var facts = io.pxewings.dhcp.boot.ClientFacts.of(rom);
        assertThat(engine.explain(facts).bootFile()).contains("undionly.kpxe");
        assertThat(engine.explain(facts).bootFile()).as("still: the explanation handed nothing out").contains("undionly.kpxe");
        assertThat(exchange(rom, Instant.now())).isEqualTo("undionly.kpxe");
        assertThat(engine.explain(facts).bootFile()).as("after a real handout: the stage is expected").contains(SCRIPT);
    }

    @Test
    void proxyDhcpChainloadsTheSameWay() throws Exception {
        ProxyEngine proxy = new ProxyEngine(ProxyEngineTest.SETTINGS, new BootDecider(CHAINLOAD), mac -> Optional.empty());
        DhcpPacket rom = withXid(capture("ipxe-bios"), 0x33);
        DhcpEngine.Reply offer = (DhcpEngine.Reply) proxy.handle(rom, DhcpCodec.requireRequest(rom), CLIENT, 67, NOW);
        assertThat(offer.packet().file()).isEqualTo("undionly.kpxe");
        DhcpPacket toBootServer = rom.toBuilder().ciaddr(Ipv4.parse("10.77.0.150"))
                .options(rom.options().toBuilder().putU8(OptionCode.MESSAGE_TYPE, 3).build()).build();
        InetSocketAddress from = new InetSocketAddress(Ipv4.parse("10.77.0.150"), 68);
        DhcpEngine.Reply ack = (DhcpEngine.Reply) proxy.handle(toBootServer, DhcpCodec.requireRequest(toBootServer), from,
                ProxyEngine.PXE_PORT, NOW.plusSeconds(2));
        assertThat(ack.packet().file()).as("the same exchange on 4011").isEqualTo("undionly.kpxe");
        DhcpPacket stage = withXid(capture("ipxe-bios"), 0x44);
        DhcpEngine.Reply script = (DhcpEngine.Reply) proxy.handle(stage, DhcpCodec.requireRequest(stage), CLIENT, 67,
                NOW.plusSeconds(15));
        assertThat(script.packet().options().string(OptionCode.BOOTFILE_NAME)).contains(SCRIPT);
    }
}
