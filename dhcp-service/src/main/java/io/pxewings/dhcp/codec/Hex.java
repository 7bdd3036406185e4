package io.pxewings.dhcp.codec;

import java.util.HexFormat;

/** Lower-case hex for logs, golden files and MAC addresses. */
public final class Hex {

    /** A MAC in the event contract's form: six lower-case hex pairs joined by colons. */
    public static final String MAC_PATTERN = "[0-9a-f]{2}(:[0-9a-f]{2}){5}";

    private static final HexFormat HEX = HexFormat.of();
    private static final HexFormat MAC = HexFormat.ofDelimiter(":");

    private Hex() {
    }

    public static String of(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Colon form, lower case: the machine key of the event contract. */
    public static String mac(byte[] bytes) {
        return MAC.formatHex(bytes);
    }

    /** Parses hex, ignoring white space and '#' comments (the golden-file format). */
    public static byte[] parse(String text) {
        StringBuilder clean = new StringBuilder();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            clean.append((hash >= 0 ? line.substring(0, hash) : line).replaceAll("\\s+", ""));
        }
        return HEX.parseHex(clean);
    }
}
