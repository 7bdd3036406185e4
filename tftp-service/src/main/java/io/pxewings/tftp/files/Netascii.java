package io.pxewings.tftp.files;

import java.io.ByteArrayOutputStream;

/**
 * netascii as RFC 1350 §1 defines it by reference to Telnet (RFC 764): end of line is CR LF, and
 * a bare CR is sent as CR NUL. Files on this server are Unix text, so LF becomes CR LF.
 */
public final class Netascii {

    private Netascii() {
    }

    public static byte[] encode(byte[] unix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(unix.length + unix.length / 16 + 16);
        for (byte b : unix) {
            if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else if (b == '\r') {
                out.write('\r');
                out.write(0);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
