package io.pxewings.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Byte-exact encoding (RFC 2131 §2, RFC 2132, RFC 3396) and refusals of malformed input. */
class DhcpCodecTest {

    static Inet4Address ip(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    static DhcpPacket offer() throws Exception {
        DhcpOptions options = DhcpOptions.builder()
                .putU8(OptionCode.MESSAGE_TYPE, MessageType.OFFER.code())
                .putIp(OptionCode.SERVER_IDENTIFIER, ip("10.77.0.1"))
                .putU32(OptionCode.LEASE_TIME, 3600)
                .putU32(OptionCode.RENEWAL_TIME, 1800)
                .putU32(OptionCode.REBINDING_TIME, 3150)
                .putIp(OptionCode.SUBNET_MASK, ip("255.255.255.0"))
                .putIp(OptionCode.ROUTER, ip("10.77.0.1"))
                .putString(OptionCode.BOOTFILE_NAME, "http://10.77.0.1:8080/boot.ipxe")
                .put(OptionCode.IPXE_ENCAPSULATED, SubOptions.of(Map.of(OptionCode.IPXE_NO_PXEDHCP, new byte[] {1})).encode(false))
                .build();
        return DhcpPacket.builder().op(DhcpPacket.BOOTREPLY).xid(0x34ba6734)
                .yiaddr(ip("10.77.0.50")).siaddr(ip("10.77.0.1"))
                .chaddr(Hex.parse("525400123456")).file("http://10.77.0.1:8080/boot.ipxe")
                .options(options).build();
    }

    @Test
    void encodesAnOfferByteForByte() throws Exception {
        assertThat(Hex.of(DhcpCodec.encode(offer()))).isEqualTo(Hex.of(Golden.bytes("offer-ipxe.hex")));
    }

    @Test
    void decodesWhatItEncodes() throws Exception {
        DhcpPacket offer = offer();
        assertThat(DhcpCodec.decode(DhcpCodec.encode(offer))).isEqualTo(offer);
    }

    @Test
    void padsShortMessagesToTheBootpMinimum() throws Exception {
        DhcpPacket nak = DhcpPacket.builder().op(DhcpPacket.BOOTREPLY)
                .options(DhcpOptions.builder().putU8(OptionCode.MESSAGE_TYPE, 6).build()).build();
        byte[] wire = DhcpCodec.encode(nak);
        assertThat(wire).hasSize(300);
        assertThat(Arrays.copyOfRange(wire, 240, 244)).containsExactly(53, 1, 6, 255);
    }

    @Test
    void splitsLongOptionsAndJoinsThemAgain() throws Exception {
        byte[] big = new byte[600];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        DhcpPacket p = DhcpPacket.builder().options(DhcpOptions.builder().putU8(OptionCode.MESSAGE_TYPE, 1)
                .put(OptionCode.VENDOR_SPECIFIC, big).build()).build();

        byte[] wire = DhcpCodec.encode(p, 1500);

        // RFC 3396 §5: 255 + 255 + 90 bytes in three consecutive instances of option 43.
        assertThat(wire[243] & 0xff).isEqualTo(43);
        assertThat(wire[244] & 0xff).isEqualTo(255);
        assertThat(wire[243 + 257] & 0xff).isEqualTo(43);
        assertThat(wire[244 + 257] & 0xff).isEqualTo(255);
        assertThat(wire[243 + 514] & 0xff).isEqualTo(43);
        assertThat(wire[244 + 514] & 0xff).isEqualTo(90);
        assertThat(DhcpCodec.decode(wire).options().bytes(OptionCode.VENDOR_SPECIFIC)).hasValue(big);
    }

    @Test
    void overflowsIntoFileAndSnameWithOptionOverload() throws Exception {
        DhcpOptions.Builder b = DhcpOptions.builder().putU8(OptionCode.MESSAGE_TYPE, 5);
        for (int code = 200; code < 215; code++) {
            b.putString(code, "x".repeat(30));
        }
        DhcpPacket p = DhcpPacket.builder().op(DhcpPacket.BOOTREPLY).options(b.build()).build();

        byte[] wire = DhcpCodec.encode(p, 576);

        assertThat(wire).hasSizeLessThanOrEqualTo(576);
        assertThat(Arrays.copyOfRange(wire, 240, 243)).as("option 52 = 3 first").containsExactly(52, 1, 3);
        assertThat(wire[DhcpCodec.FILE_OFFSET] & 0xff).as("file holds options").isBetween(200, 214);
        DhcpPacket back = DhcpCodec.decode(wire);
        assertThat(back.options()).isEqualTo(p.options());
        assertThat(back.file()).isEmpty();
        assertThat(back.sname()).isEmpty();
    }

    @Test
    void refusesOptionsThatCannotFit() {
        DhcpOptions.Builder b = DhcpOptions.builder();
        for (int code = 1; code < 20; code++) {
            b.putString(code, "y".repeat(100));
        }
        DhcpPacket p = DhcpPacket.builder().options(b.build()).build();
        assertThatThrownBy(() -> DhcpCodec.encode(p, 576)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOverloadInsideAnOverloadedFieldIsIgnoredSoItCannotLoop() throws Exception {
        byte[] wire = Golden.bytes("capture-udhcpc-discover.hex");
        // Put option 52 = 3 into the options field, and another 52 plus a host name into 'file'.
        byte[] p = Arrays.copyOf(wire, wire.length);
        int end = indexOfEnd(p);
        p[end] = 52;
        p[end + 1] = 1;
        p[end + 2] = 1;
        p[end + 3] = (byte) 255;
        byte[] inFile = {52, 1, 3, 12, 3, 'a', 'b', 'c', (byte) 255};
        System.arraycopy(inFile, 0, p, DhcpCodec.FILE_OFFSET, inFile.length);

        DhcpPacket decoded = DhcpCodec.decode(p);

        assertThat(decoded.options().string(OptionCode.HOST_NAME)).as("RFC 3396: joined").contains("lab-node-1abc");
        assertThat(decoded.options().has(OptionCode.OVERLOAD)).isFalse();
        assertThat(decoded.sname()).isEmpty();
    }

    @Test
    void dropsMalformedInputWithItsReason() throws Exception {
        byte[] good = Golden.bytes("capture-udhcpc-discover.hex");
        assertReason(Arrays.copyOf(good, 239), DropReason.TRUNCATED);
        assertReason(new byte[0], DropReason.TRUNCATED);
        assertReason(with(good, 236, (byte) 0), DropReason.BAD_MAGIC_COOKIE);
        assertReason(with(good, 2, (byte) 0), DropReason.BAD_HLEN);
        assertReason(with(good, 2, (byte) 17), DropReason.BAD_HLEN);
        int end = indexOfEnd(good);
        byte[] overrun = Arrays.copyOf(good, end + 2);
        overrun[end] = 12;
        overrun[end + 1] = 50;
        assertReason(overrun, DropReason.OPTION_OVERRUN);
        byte[] noLength = Arrays.copyOf(good, end + 1);
        noLength[end] = 12;
        assertReason(noLength, DropReason.OPTION_OVERRUN);
        byte[] badOverload = Arrays.copyOf(good, good.length);
        badOverload[end] = 52;
        badOverload[end + 1] = 1;
        badOverload[end + 2] = 4;
        badOverload[end + 3] = (byte) 255;
        assertReason(badOverload, DropReason.BAD_OVERLOAD);
        byte[] flood = Arrays.copyOf(good, 240 + 2 * 600);
        for (int i = 240; i < flood.length; i += 2) {
            flood[i] = 99;
            flood[i + 1] = 0;
        }
        assertReason(flood, DropReason.TOO_MANY_OPTIONS);
    }

    @Test
    void aServerOnlyActsOnDhcpRequests() throws Exception {
        DhcpPacket reply = DhcpCodec.decode(DhcpCodec.encode(offer()));
        assertThatThrownBy(() -> DhcpCodec.requireRequest(reply))
                .isInstanceOfSatisfying(MalformedPacketException.class, e -> assertThat(e.reason()).isEqualTo(DropReason.NOT_A_REQUEST));
        DhcpPacket bootp = DhcpPacket.builder().build();
        assertThatThrownBy(() -> DhcpCodec.requireRequest(bootp))
                .isInstanceOfSatisfying(MalformedPacketException.class, e -> assertThat(e.reason()).isEqualTo(DropReason.BAD_MESSAGE_TYPE));
        DhcpPacket nine = DhcpPacket.builder().options(DhcpOptions.builder().putU8(OptionCode.MESSAGE_TYPE, 9).build()).build();
        assertThatThrownBy(() -> DhcpCodec.requireRequest(nine))
                .isInstanceOfSatisfying(MalformedPacketException.class, e -> assertThat(e.reason()).isEqualTo(DropReason.BAD_MESSAGE_TYPE));
    }

    @Test
    void refusesFieldsThatDoNotFit() {
        DhcpPacket p = DhcpPacket.builder().file("f".repeat(128)).build();
        assertThatThrownBy(() -> DhcpCodec.encode(p)).hasMessageContaining("file");
        assertThatThrownBy(() -> DhcpPacket.builder().chaddr(new byte[17])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DhcpOptions.builder().put(255, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DhcpOptions.builder().put(0, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThat("ok".getBytes(StandardCharsets.UTF_8)).hasSize(2);
    }

    static int indexOfEnd(byte[] p) {
        int i = 240;
        while ((p[i] & 0xff) != 255) {
            i += p[i] == 0 ? 1 : 2 + (p[i + 1] & 0xff);
        }
        return i;
    }

    static byte[] with(byte[] b, int index, byte value) {
        byte[] c = b.clone();
        c[index] = value;
        return c;
    }

    static void assertReason(byte[] data, DropReason reason) {
        assertThatThrownBy(() -> DhcpCodec.decode(data))
                .isInstanceOfSatisfying(MalformedPacketException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
