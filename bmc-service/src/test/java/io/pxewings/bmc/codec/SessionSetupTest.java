package io.pxewings.bmc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Open Session and suite 17 (no published vectors: checked by round trip here, and against ipmitool -C 17 in IpmiSimulatorTest). */
class SessionSetupTest {

    static final HexFormat HEX = HexFormat.of();

    @Test
    void openSessionRequestLayout() {   // §13.17
        assertThat(HEX.formatHex(OpenSession.request(9, 0, 0xa0a2a3a4, CipherSuite.SUITE_17))).isEqualTo(
                "09000000" + "a4a3a2a0" + "0000000803000000" + "0100000804000000" + "0200000801000000");
        assertThat(HEX.formatHex(OpenSession.request(9, 4, 1, CipherSuite.SUITE_3))).isEqualTo(
                "09040000" + "01000000" + "0000000801000000" + "0100000801000000" + "0200000801000000");
    }

    @Test
    void anAnswerWithOtherAlgorithmsThanAskedIsRefusedEvenWithNoErrors() {
        // pyghmi's fake BMC answers a suite-17 request with SHA-1 records and status 0.
        byte[] answer = HEX.parseHex("09000400" + "04030201" + "0a0b0c0d" + "0000000801000000" + "0100000801000000"
                + "0200000801000000");
        assertThatThrownBy(() -> OpenSession.response(answer, 9, 0x01020304, CipherSuite.SUITE_17))
                .isInstanceOfSatisfying(MalformedIpmiException.class, e -> assertThat(e.reason()).isEqualTo("algorithm-mismatch"));
    }

    @Test
    void aMatchingAnswerGivesTheBmcSessionAndAnErrorItsStatus() throws Exception {
        byte[] ok = HEX.parseHex("09000400" + "04030201" + "0a0b0c0d" + "0000000803000000" + "0100000804000000" + "0200000801000000");
        OpenSession.Response r = OpenSession.response(ok, 9, 0x01020304, CipherSuite.SUITE_17);
        assertThat(r.status()).isZero();
        assertThat(r.bmcSessionId()).isEqualTo(0x0d0c0b0a);
        OpenSession.Response refused = OpenSession.response(HEX.parseHex("0911000004030201"), 9, 0x01020304, CipherSuite.SUITE_17);
        assertThat(RmcpPlusStatus.describe(refused.status())).isEqualTo("0x11 (no cipher suite match with proposed security algorithms)");
    }

    @Test
    void suite17RoundTripWithSha256KeysAndSixteenByteCodes() throws Exception {
        byte[] rm = new byte[16];
        byte[] rc = new byte[16];
        rc[0] = 1;
        SessionKeys k = SessionKeys.derive(CipherSuite.SUITE_17, "secret".getBytes(), null, rm, rc, 0x14, "admin");
        assertThat(k.sik()).hasSize(32);
        assertThat(Rakp.message4Code(k, rm, 5, new byte[16])).hasSize(16);
        byte[] message = Commands.getChassisStatus().encode(5);
        byte[] packet = SessionPacket.secured(k, 5, 9, message, new byte[16]);
        // header 16 + IV 16 + one block 16, pad 2, pad length, next header, 16-byte code
        assertThat(packet).hasSize(16 + 32 + 2 + 2 + 16);
        assertThat(SessionPacket.open(SessionPacket.decode(packet), k)).isEqualTo(message);
        SessionKeys withKg = SessionKeys.derive(CipherSuite.SUITE_17, "secret".getBytes(), "bmc-key".getBytes(), rm, rc, 0x14, "admin");
        assertThat(withKg.sik()).as("K_G, when set, keys the SIK").isNotEqualTo(k.sik());
    }

    @Test
    void messagesOfEveryLengthPadToWholeBlocksAndBack() throws Exception {
        SessionKeys k = SessionKeys.derive(CipherSuite.SUITE_3, "x".getBytes(), null, new byte[16], new byte[16], 0x14, "u");
        for (int n = 7; n < 80; n++) {
            byte[] m = new byte[n];
            m[n - 1] = (byte) n;
            byte[] packet = SessionPacket.secured(k, 1, n, m, new byte[16]);
            assertThat(SessionPacket.open(SessionPacket.decode(packet), k)).isEqualTo(m);
        }
    }

    @Test
    void responsesCarryTheirCompletionCodeAndChecksums() throws Exception {
        // Get Chassis Status answer: power on, restore policy "previous".
        byte[] answer = HEX.parseHex("81" + "04" + "7b" + "20" + "14" + "01" + "00" + "21" + "10" + "40" + "40");
        answer[answer.length - 1] = IpmiRequest.checksum(answer, 3, answer.length - 1);
        IpmiResponse r = IpmiResponse.decode(answer);
        assertThat(r.answers(Commands.getChassisStatus(), 5)).isTrue();
        assertThat(ChassisStatus.decode(r.data()).powerOn()).isTrue();
        answer[6] = (byte) 0xcc;
        assertThatThrownBy(() -> IpmiResponse.decode(answer)).isInstanceOf(MalformedIpmiException.class);
        assertThat(CompletionCode.describe(0xd4)).isEqualTo("0xD4 (insufficient privilege level)");
    }

    @Test
    void bootFlagsBytes() throws Exception {   // §28.12, Table 28-14
        assertThat(HEX.formatHex(Commands.setBootFlags(new BootFlags(true, false, true, BootFlags.BootDevice.PXE)).data()))
                .isEqualTo("05a004000000");
        assertThat(HEX.formatHex(Commands.setBootFlags(new BootFlags(true, true, false, BootFlags.BootDevice.DISK)).data()))
                .isEqualTo("05c008000000");
        assertThat(HEX.formatHex(Commands.setBootFlags(new BootFlags(true, false, false, BootFlags.BootDevice.BIOS_SETUP)).data()))
                .isEqualTo("058018000000");
        assertThat(BootFlags.decode(HEX.parseHex("0105e014000000")))
                .isEqualTo(new BootFlags(true, true, true, BootFlags.BootDevice.CDROM));
    }

    @Test
    void cipherSuiteRecordsAsIpmiSimAnswersThem() throws Exception {   // §22.15.2, captured from ipmi_sim 2.0.33
        byte[] all = new byte[0];
        for (String answer : java.util.List.of("01c000004080c001014080c002014180c0", "0103014181c004014182c005014183c006",
                "01024080c007024280c008024281c00902")) {
            all = Wire.concat(all, CipherSuiteRecords.records(HEX.parseHex(answer)));
        }
        assertThat(CipherSuiteRecords.suites(all)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9).doesNotContain(17);
        assertThat(CipherSuiteRecords.suites(HEX.parseHex("c011034481c003014181"))).containsExactly(17, 3);
        assertThat(HEX.formatHex(Commands.getChannelCipherSuites(1).data())).isEqualTo("0e0081");
    }
}
