package io.pxewings.tftp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Read requests captured from Debian's TFTP clients (src/test/captures/capture-requests.sh, which
 * names each client's command line): each decodes to what the client asked for and encodes back
 * to the same bytes.
 */
class CapturedRequestsTest {

    static byte[] golden(String name) throws Exception {
        try (var in = CapturedRequestsTest.class.getResourceAsStream("/golden/" + name)) {
            return HexFormat.of().parseHex(new String(in.readAllBytes()).trim());
        }
    }

    static TftpPacket.Request request(String name) throws Exception {
        byte[] wire = golden(name);
        TftpPacket p = TftpCodec.decode(wire);
        assertThat(p).isInstanceOf(TftpPacket.Request.class);
        assertThat(TftpCodec.encode(p)).as(name + " re-encodes byte for byte").isEqualTo(wire);
        return (TftpPacket.Request) p;
    }

    @Test
    void curlAsksForTsizeBlksizeAndItsOwnTimeout() throws Exception {
        TftpPacket.Request r = request("rrq-curl.hex");
        assertThat(r.filename()).isEqualTo("undionly.kpxe");
        assertThat(r.mode()).isEqualTo("octet");
        assertThat(r.options()).containsExactly(Map.entry("tsize", "0"), Map.entry("blksize", "1468"), Map.entry("timeout", "6"));
    }

    @Test
    void tftpHpaSendsAPlainRfc1350Request() throws Exception {
        TftpPacket.Request r = request("rrq-tftp-hpa.hex");
        assertThat(r.filename()).isEqualTo("undionly.kpxe");
        assertThat(r.mode()).isEqualTo("octet");
        assertThat(r.options()).isEmpty();
    }

    @Test
    void atftpAsksForAWindow() throws Exception {
        TftpPacket.Request r = request("rrq-atftp.hex");
        assertThat(r.filename()).isEqualTo("ipxe.efi");
        assertThat(r.options()).containsExactly(Map.entry("tsize", "0"), Map.entry("blksize", "1468"),
                Map.entry("windowsize", "16"));
    }
}
