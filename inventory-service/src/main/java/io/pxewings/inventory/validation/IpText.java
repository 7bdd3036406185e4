package io.pxewings.inventory.validation;

/**
 * Parses and prints IP addresses as text, by hand: {@code InetAddress.getByName} would resolve
 * anything that is not a literal through DNS, and its textual IPv4 parsing accepts forms
 * (octal, "1.2.3") an inventory should refuse.
 */
final class IpText {

    private IpText() {
    }

    /** Dotted quad, four decimal parts 0-255 without leading zeros; the bytes, or null. */
    static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            // A leading zero is refused: some parsers read it as octal (010 = 8), so it is ambiguous.
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    static String formatIpv4(byte[] b, int offset) {
        return (b[offset] & 0xff) + "." + (b[offset + 1] & 0xff) + "." + (b[offset + 2] & 0xff) + "."
                + (b[offset + 3] & 0xff);
    }

    /**
     * RFC 4291 section 2.2 text forms: eight groups of 1-4 hex digits, at most one "::" standing for
     * one or more zero groups, the last 32 bits optionally as a dotted quad. No zone ("%eth0"): an
     * inventory address is not tied to one host's interface. Returns 16 bytes, or null.
     */
    static byte[] parseIpv6(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            return null; // two "::" (or ":::") would be ambiguous
        }
        int[] groups = new int[8];
        int n;
        if (dc < 0) {
            n = groups(s, groups, 0, true);
            return n == 8 ? toBytes(groups) : null;
        }
        int[] tail = new int[8];
        int h = groups(s.substring(0, dc), groups, 0, false);
        int t = groups(s.substring(dc + 2), tail, 0, true);
        if (h < 0 || t < 0 || h + t > 7) {
            return null;
        }
        System.arraycopy(tail, 0, groups, 8 - t, t);
        return toBytes(groups);
    }

    /** Parses colon-separated groups into out from index at; the count, or -1 when malformed. */
    private static int groups(String part, int[] out, int at, boolean ipv4Last) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] pieces = part.split(":", -1);
        int n = at;
        for (int i = 0; i < pieces.length; i++) {
            String p = pieces[i];
            if (p.indexOf('.') >= 0) {
                byte[] v4 = ipv4Last && i == pieces.length - 1 ? parseIpv4(p) : null;
                if (v4 == null || n + 2 > 8) {
                    return -1;
                }
                out[n++] = (v4[0] & 0xff) << 8 | (v4[1] & 0xff);
                out[n++] = (v4[2] & 0xff) << 8 | (v4[3] & 0xff);
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || n >= 8) {
                return -1;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                int d = Character.digit(p.charAt(j), 16);
                if (d < 0 || p.charAt(j) > 'f') { // Character.digit also takes non-ASCII digits
                    return -1;
                }
                v = v << 4 | d;
            }
            out[n++] = v;
        }
        return n - at;
    }

    private static byte[] toBytes(int[] groups) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (groups[i] >> 8);
            b[2 * i + 1] = (byte) groups[i];
        }
        return b;
    }

    /**
     * RFC 5952 canonical text: lower-case hex without leading zeros (4.1, 4.3), the longest run of
     * two or more zero groups, the first on a tie, as "::" (4.2), and IPv4-mapped addresses with
     * their dotted quad (section 5).
     */
    static String formatIpv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return "::ffff:" + formatIpv4(b, 12);
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group is never shortened (4.2.2)
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
