package io.pxewings.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.pxewings.dhcp.boot.BootDecider;
import io.pxewings.dhcp.codec.DhcpCodec;
import io.pxewings.dhcp.codec.DhcpPacket;
import io.pxewings.dhcp.codec.MessageType;
import io.pxewings.dhcp.codec.OptionCode;
import io.pxewings.dhcp.lease.Ipv4;
import io.pxewings.events.boot.BootIntent;

/** proxyDHCP: boot options for PXE clients only, never an address. */
class ProxyEngineTest {

    static final InetSocketAddress CLIENT = new InetSocketAddress(Ipv4.parse("0.0.0.0"), 68);
    static final DhcpEngine.Settings SETTINGS = new DhcpEngine.Settings(Ipv4.parse("10.77.0.2"), List.of(),
            Duration.ofSeconds(60), Duration.ofMinutes(10), Ipv4.parse("255.255.255.255"), 68, DhcpEngine.Discovery.discover);

    Optional<BootIntent> intent = Optional.empty();
    final ProxyEngine proxy = new ProxyEngine(SETTINGS, new BootDecider(DhcpEngineTest.SITE), mac -> intent);

    DhcpEngine.Outcome handle(DhcpPacket p, InetSocketAddress from, int port) throws Exception {
        return proxy.handle(p, DhcpCodec.requireRequest(p), from, port, DhcpEngineTest.NOW);
    }

    @Test
    void aPxeDiscoverGetsAProxyOfferWithoutAnAddress() throws Exception {
        DhcpPacket discover = DhcpEngineTest.capture("uefi-pxe");
        DhcpEngine.Reply offer = (DhcpEngine.Reply) handle(discover, CLIENT, 67);
        DhcpPacket o = offer.packet();
        assertThat(offer.type()).isEqualTo(MessageType.OFFER);
        assertThat(o.yiaddr()).isEqualTo(DhcpPacket.zero());
        assertThat(o.file()).isEqualTo("snponly.efi");
        assertThat(Ipv4.text(o.siaddr())).isEqualTo("10.77.0.1");
        assertThat(o.options().string(OptionCode.VENDOR_CLASS_ID)).contains("PXEClient");
        assertThat(o.options().bytes(OptionCode.CLIENT_MACHINE_ID).orElseThrow())
                .as("option 97 echoed").isEqualTo(discover.options().bytes(OptionCode.CLIENT_MACHINE_ID).orElseThrow());
        assertThat(o.options().has(OptionCode.LEASE_TIME)).isFalse();
        assertThat(o.options().has(OptionCode.SUBNET_MASK)).isFalse();
        assertThat(offer.durable()).isEmpty();
    }

    @Test
    void theBootServerRequestOn4011IsAckedToItsSender() throws Exception {
        DhcpPacket discover = DhcpEngineTest.capture("uefi-pxe");
        DhcpPacket request = discover.toBuilder().ciaddr(Ipv4.parse("10.77.0.150"))
                .options(discover.options().toBuilder().putU8(OptionCode.MESSAGE_TYPE, 3).build()).build();
        InetSocketAddress from = new InetSocketAddress(Ipv4.parse("10.77.0.150"), 68);
        DhcpEngine.Reply ack = (DhcpEngine.Reply) handle(request, from, ProxyEngine.PXE_PORT);
        assertThat(ack.type()).isEqualTo(MessageType.ACK);
        assertThat(ack.to()).isEqualTo(from);
        assertThat(ack.packet().file()).isEqualTo("snponly.efi");
        assertThat(ack.packet().yiaddr()).isEqualTo(DhcpPacket.zero());
    }

    @Test
    void neverAnswersNonPxeClientsNorRequestsMeantForTheSitesServer() throws Exception {
        assertThat(handle(DhcpEngineTest.capture("udhcpc"), CLIENT, 67).label()).isEqualTo("proxy-not-pxe");
        assertThat(handle(DhcpEngineTest.capture("dhclient"), CLIENT, 67).label()).isEqualTo("proxy-not-pxe");
        DhcpPacket pxe = DhcpEngineTest.capture("ipxe-bios");
        DhcpPacket request = pxe.toBuilder().options(pxe.options().toBuilder().putU8(OptionCode.MESSAGE_TYPE, 3).build()).build();
        assertThat(handle(request, CLIENT, 67).label()).isEqualTo("proxy-not-ours");
        assertThat(handle(pxe, CLIENT, ProxyEngine.PXE_PORT).label()).isEqualTo("proxy-not-ours");
    }

    @Test
    void iPxeGetsItsScriptAndALocalIntentGetsNothing() throws Exception {
        DhcpPacket ipxe = DhcpEngineTest.capture("ipxe-bios");
        assertThat(((DhcpEngine.Reply) handle(ipxe, CLIENT, 67)).packet().options().string(OptionCode.BOOTFILE_NAME))
                .hasValueSatisfying(f -> assertThat(f).startsWith("http://10.77.0.1:8080/boot.ipxe"));
        intent = Optional.of(new BootIntent(ipxe.mac(), "local", null, "done", Instant.now()));
        assertThat(handle(ipxe, CLIENT, 67).label()).isEqualTo("proxy-no-boot-file");
    }
}
