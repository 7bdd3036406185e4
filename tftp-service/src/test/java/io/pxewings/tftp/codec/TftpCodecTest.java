package io.pxewings.tftp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Byte-exact packets, built by hand from RFC 1350 §5 and RFC 2347 §2. */
class TftpCodecTest {

    static final HexFormat HEX = HexFormat.of();

    static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    /** RRQ "undionly.kpxe" octet, blksize 1468, tsize 0 (as iPXE and tftp-hpa send them). */
    static final String RRQ = "0001 756e64696f6e6c792e6b707865 00 6f63746574 00 626c6b73697a65 00 31343638 00 7473697a65 00 30 00";

    @Test
    void readRequestWithOptions() throws Exception {
        TftpPacket p = TftpCodec.decode(hex(RRQ));
        assertThat(p).isInstanceOf(TftpPacket.Request.class);
        TftpPacket.Request r = (TftpPacket.Request) p;
        assertThat(r.opcode()).isEqualTo(TftpPacket.RRQ);
        assertThat(r.filename()).isEqualTo("undionly.kpxe");
        assertThat(r.mode()).isEqualTo("octet");
        assertThat(r.options()).containsExactly(Map.entry("blksize", "1468"), Map.entry("tsize", "0"));
        assertThat(r.option("BLKSIZE")).as("RFC 2347: option names are case-insensitive").contains("1468");
        assertThat(HEX.formatHex(TftpCodec.encode(r))).isEqualTo(RRQ.replace(" ", ""));
    }

    @Test
    void dataAckErrorAndOack() throws Exception {
        byte[] data = hex("0003 0001 68656c6c6f");
        TftpPacket.Data d = (TftpPacket.Data) TftpCodec.decode(data);
        assertThat(d.block()).isEqualTo(1);
        assertThat(new String(d.bytes())).isEqualTo("hello");
        assertThat(TftpCodec.encode(d)).isEqualTo(data);
        assertThat(TftpCodec.data(0xffff, "x".getBytes(), 0, 1)).isEqualTo(hex("0003 ffff 78"));
        assertThat(TftpCodec.dataPacket(65536 + 7, 0)).as("block numbers wrap at 16 bits").isEqualTo(hex("0003 0007"));

        assertThat(TftpCodec.decode(hex("0004 fffe"))).isEqualTo(new TftpPacket.Ack(0xfffe));
        assertThat(TftpCodec.encode(new TftpPacket.Ack(0))).isEqualTo(hex("0004 0000"));

        byte[] error = hex("0005 0001 46696c65206e6f7420666f756e64 00");
        assertThat(TftpCodec.decode(error)).isEqualTo(new TftpPacket.Error(ErrorCode.FILE_NOT_FOUND, "File not found"));
        assertThat(TftpCodec.encode(new TftpPacket.Error(ErrorCode.FILE_NOT_FOUND, "File not found"))).isEqualTo(error);

        Map<String, String> o = new LinkedHashMap<>();
        o.put("blksize", "1468");
        o.put("tsize", "65536");
        byte[] oack = hex("0006 626c6b73697a65 00 31343638 00 7473697a65 00 3635353336 00");
        assertThat(TftpCodec.encode(new TftpPacket.OptionAck(o))).isEqualTo(oack);
        assertThat(TftpCodec.decode(oack)).isEqualTo(new TftpPacket.OptionAck(o));
    }

    @Test
    void anUnknownErrorCodeKeepsItsNumberInTheMessage() throws Exception {
        assertThat(TftpCodec.decode(hex("0005 0063 6f6f7073 00")))
                .isEqualTo(new TftpPacket.Error(ErrorCode.NOT_DEFINED, "(code 99) oops"));
    }

    @Test
    void trailingNulPaddingAfterOptionsIsTolerated() throws Exception {
        TftpPacket.Request r = (TftpPacket.Request) TftpCodec.decode(hex("0001 61 00 6f63746574 00 00 00"));
        assertThat(r.filename()).isEqualTo("a");
        assertThat(r.options()).isEmpty();
    }

    @Test
    void malformedPacketsAreRefusedWithAReason() {
        assertReason("00", DropReason.TRUNCATED);
        assertReason("0009 0000", DropReason.UNKNOWN_OPCODE);
        assertReason("0001 61", DropReason.MISSING_NUL);                       // no NUL after the filename
        assertReason("0001 61 00 6f63746574", DropReason.MISSING_NUL);         // no NUL after the mode
        assertReason("0001 61 00 6f63746574 00 626c6b73697a65 00", DropReason.MISSING_NUL);   // option without value
        assertReason("0001 00 6f63746574 00", DropReason.BAD_STRING);          // empty filename
        assertReason("0001 610a62 00 6f63746574 00", DropReason.BAD_STRING);   // control character
        assertReason("0001 61 00 6f63746574 00 626c6b73697a65 00 38 00 424c4b53495a45 00 39 00", DropReason.DUPLICATE_OPTION);
        assertReason("0004 00", DropReason.TRUNCATED);
        assertReason("0004 0001 00", DropReason.TRAILING_BYTES);
        assertReason("0003 00", DropReason.TRUNCATED);
        byte[] big = new byte[600];
        big[1] = 1;
        assertThatThrownBy(() -> TftpCodec.decode(big)).isInstanceOfSatisfying(MalformedTftpException.class,
                e -> assertThat(e.reason()).isEqualTo(DropReason.OVERSIZED_REQUEST));
    }

    static void assertReason(String hex, DropReason reason) {
        assertThatThrownBy(() -> TftpCodec.decode(hex(hex))).as(hex).isInstanceOfSatisfying(MalformedTftpException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
