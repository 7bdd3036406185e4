package io.pxewings.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * DHCPDISCOVERs captured from real clients (src/test/captures/capture-discover.sh): busybox
 * udhcpc, ISC dhclient, dhcpcd, iPXE (QEMU's virtio ROM) and OVMF's UEFI PXE.
 */
class CapturedClientsTest {

    static final String MAC = "52:54:00:12:34:56";
    static final UUID QEMU_UUID = UUID.fromString("4c4c4544-0042-3510-8052-b4c04f4d3732");

    @ParameterizedTest
    @ValueSource(strings = {"udhcpc", "dhclient", "dhcpcd", "ipxe-bios", "uefi-pxe"})
    void everyCaptureIsADiscoverFromTheFixedMac(String client) throws Exception {
        DhcpPacket p = Golden.packet("capture-" + client + "-discover.hex");
        assertThat(DhcpCodec.requireRequest(p)).isEqualTo(MessageType.DISCOVER);
        assertThat(p.mac()).isEqualTo(MAC);
        assertThat(p.hlen()).isEqualTo(6);
        assertThat(p.ciaddr()).isEqualTo(DhcpPacket.zero());
        assertThat(p.giaddr()).isEqualTo(DhcpPacket.zero());
    }

    @ParameterizedTest
    @ValueSource(strings = {"udhcpc", "dhclient", "dhcpcd", "ipxe-bios", "uefi-pxe"})
    void reEncodingACaptureGivesTheSameBytes(String client) {
        byte[] wire = Golden.bytes("capture-" + client + "-discover.hex");
        DhcpPacket p = Golden.packet("capture-" + client + "-discover.hex");
        assertThat(Hex.of(DhcpCodec.encode(p, 1500))).isEqualTo(Hex.of(wire));
    }

    @Test
    void udhcpc() {
        DhcpPacket p = Golden.packet("capture-udhcpc-discover.hex");
        assertThat(p.xid()).isEqualTo(0x0266ed1b);
        assertThat(p.options().string(OptionCode.HOST_NAME)).contains("lab-node-1");
        assertThat(p.options().u16(OptionCode.MAX_MESSAGE_SIZE)).contains(576);
        assertThat(VendorClass.of(p.options())).satisfies(v -> {
            assertThat(v.kind()).isEqualTo(VendorClass.Kind.OTHER);
            assertThat(v.raw()).isEqualTo("udhcp 1.35.0");
        });
        assertThat(p.options().bytes(OptionCode.CLIENT_ID)).hasValueSatisfying(
                id -> assertThat(Hex.of(id)).isEqualTo("01525400123456"));
        assertThat(ClientArchitecture.fromOption(p.options())).isEqualTo(ClientArchitecture.UNKNOWN);
    }

    @Test
    void dhclientAndDhcpcd() {
        DhcpPacket dhclient = Golden.packet("capture-dhclient-discover.hex");
        assertThat(dhclient.options().bytes(OptionCode.PARAMETER_REQUEST_LIST).orElseThrow()).contains(1, 3, 6, 15);
        DhcpPacket dhcpcd = Golden.packet("capture-dhcpcd-discover.hex");
        assertThat(dhcpcd.options().u16(OptionCode.MAX_MESSAGE_SIZE)).contains(1472);
        assertThat(VendorClass.of(dhcpcd.options()).raw()).startsWith("dhcpcd-9.4.1:Linux");
    }

    @Test
    void ipxeOnBiosAnnouncesItselfSoTheChainloadLoopCanBeBroken() throws Exception {
        DhcpPacket p = Golden.packet("capture-ipxe-bios-discover.hex");
        VendorClass vendor = VendorClass.of(p.options());
        assertThat(vendor.kind()).isEqualTo(VendorClass.Kind.PXE);
        assertThat(vendor.arch()).isZero();
        assertThat(vendor.undi()).isEqualTo("2.1");
        assertThat(UserClass.of(p.options())).containsExactly("iPXE");
        assertThat(ClientArchitecture.fromOption(p.options())).isEqualTo(ClientArchitecture.X86_BIOS);
        assertThat(ClientIdentity.networkInterface(p.options())).contains("2.1");
        assertThat(ClientIdentity.machineUuid(p.options())).contains(QEMU_UUID);
        SubOptions ipxe = SubOptions.decode(p.options().bytes(OptionCode.IPXE_ENCAPSULATED).orElseThrow(), true);
        assertThat(ipxe.get(235)).as("iPXE version 1.0.0").hasValueSatisfying(v -> assertThat(v).containsExactly(1, 0, 0));
        assertThat(ipxe.has(0x13)).as("HTTP feature").isTrue();
        assertThat(p.broadcast()).isFalse();
    }

    @Test
    void uefiFirmwarePxe() {
        DhcpPacket p = Golden.packet("capture-uefi-pxe-discover.hex");
        assertThat(ClientArchitecture.fromOption(p.options())).satisfies(a -> {
            assertThat(a).isEqualTo(ClientArchitecture.X64_UEFI);
            assertThat(a.firmware()).isEqualTo(ClientArchitecture.Firmware.UEFI);
            assertThat(a.httpBoot()).isFalse();
        });
        VendorClass vendor = VendorClass.of(p.options());
        assertThat(vendor.kind()).isEqualTo(VendorClass.Kind.PXE);
        assertThat(vendor.arch()).isEqualTo(7);
        assertThat(vendor.undi()).isEqualTo("3.0");
        assertThat(UserClass.of(p.options())).isEmpty();
        assertThat(ClientIdentity.machineUuid(p.options())).contains(QEMU_UUID);
        assertThat(p.broadcast()).as("OVMF sets the broadcast flag").isTrue();
        assertThat(List.of(ClientIdentity.networkInterface(p.options()).orElseThrow())).containsExactly("3.0");
    }

    @Test
    void uefiFirmwareHttpBoot() {
        // OVMF with its PXE switched off (fw_cfg opt/org.tianocore/IPv4PXESupport=no): HttpBootDxe.
        DhcpPacket p = Golden.packet("capture-uefi-http-discover.hex");
        assertThat(ClientArchitecture.fromOption(p.options())).satisfies(a -> {
            assertThat(a).isEqualTo(ClientArchitecture.X64_UEFI_HTTP);
            assertThat(a.httpBoot()).isTrue();
        });
        VendorClass vendor = VendorClass.of(p.options());
        assertThat(vendor.kind()).isEqualTo(VendorClass.Kind.HTTP_BOOT);
        assertThat(vendor.arch()).isEqualTo(16);
        assertThat(UserClass.of(p.options())).isEmpty();
        assertThat(ClientIdentity.machineUuid(p.options())).as("captured without -uuid: QEMU's nil UUID")
                .contains(new java.util.UUID(0, 0));
    }
}
