package io.pxewings.dhcp.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Option 77. RFC 3004 §4 defines it as a list of length-prefixed class strings, but iPXE and
 * many other clients send one plain string ("iPXE"). Both are read: the RFC form is taken only
 * when its lengths add up exactly.
 */
public final class UserClass {

    private UserClass() {
    }

    public static List<String> parse(byte[] v) {
        List<String> rfc = new ArrayList<>();
        int i = 0;
        while (i < v.length) {
            int len = v[i] & 0xff;
            if (len == 0 || i + 1 + len > v.length) {
                return List.of(new String(v, StandardCharsets.UTF_8));
            }
            rfc.add(new String(v, i + 1, len, StandardCharsets.UTF_8));
            i += 1 + len;
        }
        return rfc;
    }

    public static List<String> of(DhcpOptions options) {
        return options.bytes(OptionCode.USER_CLASS).map(UserClass::parse).orElse(List.of());
    }
}
