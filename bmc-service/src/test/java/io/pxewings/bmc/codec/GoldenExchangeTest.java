package io.pxewings.bmc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * A suite-3 session measured between ipmitool 1.8.19 and ipmi_sim (openipmi 2.0.33), user
 * {@code admin}, password {@code password} (../shared/notes/bmc.md, every value re-derived there
 * independently): this codec must produce and accept exactly those bytes.
 */
class GoldenExchangeTest {

    static final HexFormat HEX = HexFormat.of();
    static final byte[] KUID = "password".getBytes();
    static final int SID_M = 0xa0a2a3a4;   // a4a3a2a0 on the wire
    static final int SID_C = 0x00000502;   // 02050000 on the wire
    static final byte[] RM = HEX.parseHex("85eaea1ec7770a32e6e71608a6c921c5");
    static final byte[] RC = HEX.parseHex("ec49f31d8c75f52d2104329321027a93");
    static final byte[] GUID = HEX.parseHex("a123456789abcdefa123456789abcdef");
    static final int ROLE = 0x14;   // administrator, name-only lookup
    static final byte[] IV = HEX.parseHex("ea4df943b45a9537a012173bfc35ba95");
    static final byte[] PACKET = HEX.parseHex("0600ff07" + "06c0" + "02050000" + "03000000" + "2000"
            + "ea4df943b45a9537a012173bfc35ba95" + "6cb69718a4fdf95606bc80657a48b430" + "ffff02" + "07" + "b75b1ba79c781121d67b7c8e");

    static SessionKeys keys() {
        return SessionKeys.derive(CipherSuite.SUITE_3, KUID, null, RM, RC, ROLE, "admin");
    }

    @Test
    void sessionKeysSik_K1_K2() {   // §13.31, §13.32
        SessionKeys k = keys();
        assertThat(HEX.formatHex(k.sik())).isEqualTo("da33adecff745610d67cb079d88fc1bb23c7b8c3");
        assertThat(HEX.formatHex(k.k1())).isEqualTo("b2e0908a660c7d62d816df999e7c9d8e834709ab");
        assertThat(HEX.formatHex(k.k2())).isEqualTo("22ff1e032bbecf02067685722ff97402304f9610");
        assertThat(k.toString()).doesNotContain("da33");
    }

    @Test
    void rakpCodes() {   // §13.21-13.23, §13.31
        assertThat(HEX.formatHex(Rakp.message2Code(CipherSuite.SUITE_3, KUID, SID_M, SID_C, RM, RC, GUID, ROLE, "admin")))
                .isEqualTo("44fa87930f2652208079048f7b7b70fc7b755969");
        byte[] rakp3 = Rakp.message3(7, SID_C, CipherSuite.SUITE_3, KUID, RC, SID_M, ROLE, "admin");
        assertThat(HEX.formatHex(rakp3)).isEqualTo("07000000" + "02050000" + "705e482dcfc23900bbc7eacd4f195b3d9c4e86b6");
        assertThat(HEX.formatHex(Rakp.message4Code(keys(), RM, SID_C, GUID))).isEqualTo("053442a80616e5b0bb3aa605");
    }

    @Test
    void rakp1Layout() {   // §13.20
        assertThat(HEX.formatHex(Rakp.message1(7, SID_C, RM, ROLE, "admin"))).isEqualTo(
                "07000000" + "02050000" + "85eaea1ec7770a32e6e71608a6c921c5" + "14" + "0000" + "05" + "61646d696e");
    }

    @Test
    void theFirstSecuredRequestByteForByte() {   // §13.6, §13.28.4, §13.29
        byte[] message = Commands.setSessionPrivilegeLevel(Commands.PRIVILEGE_ADMINISTRATOR).encode(1);
        assertThat(HEX.formatHex(message)).isEqualTo("2018c881043b043c");
        assertThat(HEX.formatHex(SessionPacket.secured(keys(), SID_C, 3, message, IV))).isEqualTo(HEX.formatHex(PACKET));
    }

    @Test
    void theSecuredPacketOpensToItsMessage() throws Exception {
        SessionPacket.Decoded d = SessionPacket.decode(PACKET);
        assertThat(d.sessionId()).isEqualTo(SID_C);
        assertThat(d.sequence()).isEqualTo(3);
        assertThat(d.encrypted()).isTrue();
        assertThat(HEX.formatHex(SessionPacket.open(d, keys()))).isEqualTo("2018c881043b043c");
    }

    @Test
    void aFlippedBitAnywhereIsRefusedByTheIntegrityCheck() throws Exception {
        for (int i = 4; i < PACKET.length; i++) {
            byte[] bad = PACKET.clone();
            bad[i] ^= 0x01;
            int at = i;
            assertThatThrownBy(() -> SessionPacket.open(SessionPacket.decode(bad), keys()))
                    .as("byte " + at).isInstanceOf(MalformedIpmiException.class);
        }
    }

    @Test
    void theWrongKeysAreRefused() throws Exception {
        SessionKeys other = SessionKeys.derive(CipherSuite.SUITE_3, "Password".getBytes(), null, RM, RC, ROLE, "admin");
        assertThatThrownBy(() -> SessionPacket.open(SessionPacket.decode(PACKET), other))
                .isInstanceOfSatisfying(MalformedIpmiException.class, e -> assertThat(e.reason()).isEqualTo("bad-auth-code"));
    }

    @Test
    void channelAuthenticationCapabilitiesOutsideASession() throws Exception {   // §22.13
        assertThat(HEX.formatHex(Commands.getChannelAuthCapabilities(Commands.PRIVILEGE_ADMINISTRATOR).encode(0)))
                .isEqualTo("2018c88100388e04b5");
        ChannelAuthCapabilities caps = ChannelAuthCapabilities.decode(HEX.parseHex("0197040300000000"));
        assertThat(caps.ipmi20()).isTrue();
        assertThat(caps.kgSet()).isFalse();
        assertThat(caps.channel()).isEqualTo(1);
    }
}
