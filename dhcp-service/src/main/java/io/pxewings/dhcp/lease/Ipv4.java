package io.pxewings.dhcp.lease;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 addresses as unsigned 32-bit values, for pools and subnet arithmetic. */
public final class Ipv4 {

    private Ipv4() {
    }

    public static long toLong(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((long) (b[0] & 0xff) << 24) | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    public static Inet4Address of(long v) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a dotted quad only (no host names, no DNS lookups). */
    public static Inet4Address parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        long v = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            v = v << 8 | Integer.parseInt(p);
        }
        return of(v);
    }

    public static String text(Inet4Address a) {
        return a.getHostAddress();
    }
}
