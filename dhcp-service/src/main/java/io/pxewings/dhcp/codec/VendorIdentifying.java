package io.pxewings.dhcp.codec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Option 125, V-I Vendor-Specific Information (RFC 3925 §4): repeated blocks of a 4-byte IANA
 * enterprise number, a 1-byte data length and that many bytes of sub-options.
 */
public final class VendorIdentifying {

    private VendorIdentifying() {
    }

    public static Map<Long, SubOptions> decode(byte[] v) throws MalformedPacketException {
        Map<Long, SubOptions> out = new LinkedHashMap<>();
        int i = 0;
        while (i < v.length) {
            if (i + 5 > v.length || i + 5 + (v[i + 4] & 0xff) > v.length) {
                throw new MalformedPacketException(DropReason.OPTION_OVERRUN, "option 125 block runs past the end");
            }
            long enterprise = ((long) (v[i] & 0xff) << 24) | (v[i + 1] & 0xff) << 16 | (v[i + 2] & 0xff) << 8 | (v[i + 3] & 0xff);
            int len = v[i + 4] & 0xff;
            byte[] data = java.util.Arrays.copyOfRange(v, i + 5, i + 5 + len);
            out.put(enterprise, SubOptions.decode(data, false));
            i += 5 + len;
        }
        return out;
    }

    public static byte[] encode(Map<Long, SubOptions> blocks) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (var e : blocks.entrySet()) {
            byte[] data = e.getValue().encode(false);
            if (data.length > 255) {
                throw new IllegalArgumentException("enterprise " + e.getKey() + " data exceeds 255 bytes");
            }
            long n = e.getKey();
            out.write((int) (n >>> 24));
            out.write((int) (n >>> 16));
            out.write((int) (n >>> 8));
            out.write((int) n);
            out.write(data.length);
            out.writeBytes(data);
        }
        return out.toByteArray();
    }
}
