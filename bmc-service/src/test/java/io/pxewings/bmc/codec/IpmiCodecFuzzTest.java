package io.pxewings.bmc.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.pxewings.testsupport.SeededMutations;

/**
 * Whatever arrives on the IPMI socket, from a BMC or from anyone who can reach it, the codec reads
 * it or refuses it with a {@link MalformedIpmiException}: never another exception, which would
 * reach the receive loop. Both sides are read: the client's (answers) and the simulator's
 * (requests).
 *
 * <p>CI runs the seed corpus and 100,000 seeded mutations. The long, coverage-guided run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl bmc-service test -Dtest=IpmiCodecFuzzTest} (one million inputs).
 */
class IpmiCodecFuzzTest {

    static final SessionKeys KEYS = GoldenExchangeTest.keys();
    static final List<byte[]> SEEDS = List.of(GoldenExchangeTest.PACKET,
            SessionPacket.v15(Commands.getChannelAuthCapabilities(4).encode(0)),
            SessionPacket.plain(SessionPacket.PAYLOAD_OPEN_SESSION_RESPONSE,
                    OpenSession.response(1, 0, 4, 7, 9, CipherSuite.SUITE_17)),
            SessionPacket.plain(SessionPacket.PAYLOAD_RAKP_2, Rakp.message2(1, 0, 7, new byte[16], new byte[16], new byte[32])),
            SessionPacket.plain(SessionPacket.PAYLOAD_RAKP_1, Rakp.message1(1, 9, new byte[16], 0x14, "admin")),
            SessionPacket.plain(SessionPacket.PAYLOAD_RAKP_4, Rakp.message4(1, 0, 7, new byte[16])),
            AsfPresence.ping(3));

    @FuzzTest(maxExecutions = 1_000_000)
    void decodeOnlyEverRefusesWithAReason(byte[] data) {
        exercise(data);
    }

    @Test
    void mutatedSeedsAreReadOrRefused() {
        int refused = SeededMutations.refused(100_000, 20261204, SEEDS, 4, 6, r -> switch (r.nextInt(4)) {
            case 0 -> r.nextInt(256);
            case 1 -> 0xff;
            case 2 -> 0x10;
            default -> 0;
        }, IpmiCodecFuzzTest::exercise);
        assertThat(refused).as("mutations refused").isBetween(1, 99_999);
    }

    /** @return true when some reader took the input */
    static boolean exercise(byte[] data) {
        boolean read = false;
        try {
            if (Rmcp.messageClass(data) == Rmcp.CLASS_ASF) {
                AsfPresence.pong(data);
                return true;
            }
            SessionPacket.Decoded p = SessionPacket.decode(data);
            byte[] payload = p.payload();
            read |= attempt(() -> SessionPacket.open(p, KEYS));
            read |= attempt(() -> IpmiResponse.decode(payload));
            read |= attempt(() -> IpmiRequest.decode(payload));
            read |= attempt(() -> OpenSession.response(payload, payload.length > 0 ? payload[0] : 0, 7, CipherSuite.SUITE_17));
            read |= attempt(() -> OpenSession.parseRequest(payload));
            for (CipherSuite s : List.of(CipherSuite.SUITE_3, CipherSuite.SUITE_17)) {
                read |= attempt(() -> Rakp.message2(payload, s));
                read |= attempt(() -> Rakp.message4(payload, s));
                read |= attempt(() -> Rakp.parseMessage3(payload, s));
            }
            read |= attempt(() -> Rakp.parseMessage1(payload));
            read |= attempt(() -> ChassisStatus.decode(payload));
            read |= attempt(() -> BootFlags.decode(payload));
            read |= attempt(() -> DeviceId.decode(payload));
            read |= attempt(() -> SelInfo.decode(payload));
            read |= attempt(() -> ChannelAuthCapabilities.decode(payload));
            return read;
        } catch (MalformedIpmiException refused) {
            return false;
        }
    }

    interface Reader {
        Object read() throws MalformedIpmiException;
    }

    static boolean attempt(Reader r) {
        try {
            r.read();
            return true;
        } catch (MalformedIpmiException refused) {
            return false;
        }
    }
}
