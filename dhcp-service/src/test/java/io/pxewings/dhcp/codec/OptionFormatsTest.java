package io.pxewings.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Encapsulated and structured options: 43, 60, 77, 82, 93, 125, 175. */
class OptionFormatsTest {

    @Test
    void vendorClassOfPxeHttpBootAndOnie() {
        assertThat(VendorClass.parse(Optional.of("HTTPClient:Arch:00016:UNDI:003001"))).satisfies(v -> {
            assertThat(v.kind()).isEqualTo(VendorClass.Kind.HTTP_BOOT);
            assertThat(v.arch()).isEqualTo(16);
            assertThat(v.undi()).isEqualTo("3.1");
        });
        assertThat(VendorClass.parse(Optional.of("onie_vendor:x86_64-accton_as7712_32x-r0"))).satisfies(v -> {
            assertThat(v.kind()).isEqualTo(VendorClass.Kind.ONIE);
            assertThat(v.platform()).isEqualTo("x86_64-accton_as7712_32x-r0");
        });
        assertThat(VendorClass.parse(Optional.of("PXEClient")).kind()).isEqualTo(VendorClass.Kind.PXE);
        assertThat(VendorClass.parse(Optional.empty()).kind()).isEqualTo(VendorClass.Kind.NONE);
        assertThat(VendorClass.parse(Optional.of("MSFT 5.0")).kind()).isEqualTo(VendorClass.Kind.OTHER);
    }

    @Test
    void architecturesOfRfc4578AndHttpBoot() {
        assertThat(ClientArchitecture.of(0).firmware()).isEqualTo(ClientArchitecture.Firmware.BIOS);
        assertThat(ClientArchitecture.of(11)).isEqualTo(ClientArchitecture.ARM64_UEFI);
        assertThat(ClientArchitecture.of(16).httpBoot()).isTrue();
        assertThat(ClientArchitecture.of(19)).isEqualTo(ClientArchitecture.ARM64_UEFI_HTTP);
        assertThat(ClientArchitecture.of(4242)).isEqualTo(ClientArchitecture.UNKNOWN);
    }

    @Test
    void userClassInRfc3004FormAndAsOnePlainString() {
        byte[] rfc = {4, 'i', 'P', 'X', 'E', 3, 'f', 'o', 'o'};
        assertThat(UserClass.parse(rfc)).containsExactly("iPXE", "foo");
        assertThat(UserClass.parse("iPXE".getBytes(StandardCharsets.US_ASCII))).containsExactly("iPXE");
        assertThat(UserClass.parse(new byte[] {0, 1})).hasSize(1);
    }

    @Test
    void relayAgentInformationRoundTrips() throws Exception {
        // RFC 3046 §2.0: circuit id 1, remote id 2; no PAD or END inside option 82.
        byte[] wire = {1, 4, 'e', 't', 'h', '1', 2, 6, 0, 0x1b, 0x21, 0x3c, 0x4d, 0x5e};
        SubOptions relay = SubOptions.decode(wire, false);
        assertThat(new String(relay.get(1).orElseThrow(), StandardCharsets.US_ASCII)).isEqualTo("eth1");
        assertThat(Hex.of(relay.get(2).orElseThrow())).isEqualTo("001b213c4d5e");
        assertThat(relay.encode(false)).containsExactly(wire);
        assertThatThrownBy(() -> SubOptions.decode(new byte[] {1, 9, 0}, false))
                .isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void pxeVendorOptionsEndWithEnd() throws Exception {
        // PXE spec 2.1 §2.2.5: option 43 sub-option 6 (discovery control) = 8: boot file from DHCP only.
        SubOptions pxe = SubOptions.of(Map.of(6, new byte[] {8}));
        assertThat(pxe.encode(true)).containsExactly(6, 1, 8, 255);
        assertThat(SubOptions.decode(new byte[] {0, 6, 1, 8, (byte) 255, 9, 9}, true).asMap()).containsOnlyKeys(6);
    }

    @Test
    void vendorIdentifyingOptionsOfRfc3925() throws Exception {
        Map<Long, SubOptions> blocks = new LinkedHashMap<>();
        blocks.put(3561L, SubOptions.of(Map.of(1, "gold".getBytes(StandardCharsets.US_ASCII))));
        byte[] wire = VendorIdentifying.encode(blocks);
        assertThat(Hex.of(wire)).isEqualTo("00000de906" + "0104676f6c64");
        Map<Long, SubOptions> back = VendorIdentifying.decode(wire);
        assertThat(back).containsOnlyKeys(3561L);
        assertThat(back.get(3561L).get(1)).hasValueSatisfying(v -> assertThat(v).containsExactly('g', 'o', 'l', 'd'));
        assertThatThrownBy(() -> VendorIdentifying.decode(new byte[] {0, 0, 0x0d, (byte) 0xe9, 9, 1}))
                .isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void machineIdOfOption97AndNdiOfOption94() {
        DhcpOptions o = DhcpOptions.builder()
                .put(OptionCode.CLIENT_MACHINE_ID, Hex.parse("00 44454c4c 4200 1035 8052b4c04f4d3732"))
                .put(OptionCode.CLIENT_NDI, new byte[] {1, 3, 16})
                .build();
        assertThat(ClientIdentity.machineUuid(o)).hasValueSatisfying(
                u -> assertThat(u.toString()).isEqualTo("4c4c4544-0042-3510-8052-b4c04f4d3732"));
        assertThat(ClientIdentity.networkInterface(o)).contains("3.16");
        DhcpOptions wrongType = DhcpOptions.builder().put(OptionCode.CLIENT_MACHINE_ID, new byte[17]).build();
        assertThat(ClientIdentity.machineUuid(wrongType)).isPresent();
        DhcpOptions shortId = DhcpOptions.builder().put(OptionCode.CLIENT_MACHINE_ID, new byte[5]).build();
        assertThat(ClientIdentity.machineUuid(shortId)).isEmpty();
    }
}
