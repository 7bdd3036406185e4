package io.pxewings.bmc.codec;

import java.util.Arrays;

/** Little-endian fields and bounds checks: IPMI puts every multi-byte integer least significant byte first (IPMI v2.0 §13.6). */
final class Wire {

    private Wire() {
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    static int getShort(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static byte[] le32(int v) {
        byte[] b = new byte[4];
        putInt(b, 0, v);
        return b;
    }

    static void need(byte[] b, int length, String what) throws MalformedIpmiException {
        if (b.length < length) {
            throw new MalformedIpmiException("truncated", what + ": " + b.length + " bytes, at least " + length + " needed");
        }
    }

    static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
