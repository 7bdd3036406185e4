package io.pxewings.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.pxewings.testsupport.SeededMutations;

/**
 * Whatever arrives on port 67, the codec either reads it or refuses it with a drop reason: never
 * another exception, which would escape the server's receive loop.
 *
 * <p>CI runs the fuzz test in Jazzer's regression mode (the seed corpus in
 * {@code DhcpCodecFuzzTestInputs}, the golden packets) plus a bounded, seeded mutation loop. The
 * long, coverage-guided run: {@code JAZZER_FUZZ=1 ./mvnw -pl dhcp-service test -Dtest=DhcpCodecFuzzTest}
 * (one million executions).
 */
class DhcpCodecFuzzTest {

    static final List<String> SEEDS = List.of("capture-udhcpc-discover.hex", "capture-dhclient-discover.hex",
            "capture-dhcpcd-discover.hex", "capture-ipxe-bios-discover.hex", "capture-uefi-pxe-discover.hex",
            "offer-ipxe.hex");

    @FuzzTest(maxExecutions = 1_000_000)
    void decodeOnlyEverRefusesWithADropReason(byte[] data) {
        exercise(data);
    }

    /** 100,000 mutations of the golden packets (options only): byte flips, truncations, length bytes set high. */
    @Test
    void mutatedGoldenPacketsAreReadOrRefused() {
        List<byte[]> seeds = SEEDS.stream().map(Golden::bytes).toList();
        int refused = SeededMutations.refused(100_000, 20261128, seeds, 236, 8, r -> switch (r.nextInt(4)) {
            case 0 -> r.nextInt(256);
            case 1 -> 255;
            case 2 -> 52;
            default -> 0;
        }, DhcpCodecFuzzTest::exercise);
        assertThat(refused).as("mutations refused").isBetween(1, 99_999);
    }

    /** @return true when the input decoded */
    static boolean exercise(byte[] data) {
        DhcpPacket p;
        try {
            p = DhcpCodec.decode(data);
        } catch (MalformedPacketException refused) {
            return false;
        }
        try {
            DhcpCodec.requireRequest(p);
        } catch (MalformedPacketException refused) {
            // a reply or a BOOTP message: dropped by the server, fine here
        }
        VendorClass.of(p.options());
        UserClass.of(p.options());
        ClientArchitecture.fromOption(p.options());
        ClientIdentity.machineUuid(p.options());
        ClientIdentity.networkInterface(p.options());
        for (int code : new int[] {OptionCode.VENDOR_SPECIFIC, OptionCode.IPXE_ENCAPSULATED}) {
            p.options().bytes(code).ifPresent(v -> subOptions(v, true));
        }
        p.options().bytes(OptionCode.RELAY_AGENT_INFORMATION).ifPresent(v -> subOptions(v, false));
        p.options().bytes(OptionCode.VENDOR_IDENTIFYING_SPECIFIC).ifPresent(v -> {
            try {
                VendorIdentifying.decode(v);
            } catch (MalformedPacketException refused) {
                // counted by the server as a bad option, the packet itself is still served
            }
        });
        byte[] again;
        try {
            again = DhcpCodec.encode(p, 1500);
        } catch (IllegalArgumentException tooBig) {
            return true;
        }
        try {
            assertThat(DhcpCodec.decode(again)).isEqualTo(p);
        } catch (MalformedPacketException e) {
            throw new AssertionError("re-encoded packet does not decode: " + e.getMessage(), e);
        }
        return true;
    }

    private static void subOptions(byte[] v, boolean padAndEnd) {
        try {
            SubOptions.decode(v, padAndEnd);
        } catch (MalformedPacketException refused) {
            // same as above
        }
    }
}
