package io.pxewings.inventory.query;

/** The one piece of JSON writing the selector needs, without a JSON library in this layer. */
final class JsonText {

    private JsonText() {
    }

    /**
     * A JSON string literal (RFC 8259 section 7): quote and backslash escaped, control characters
     * U+0000-U+001F as backslash-u-00XX; everything else, including non-ASCII, as is.
     */
    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
