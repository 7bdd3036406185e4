package io.pxewings.httpboot.ipxe;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who is asking, as iPXE fills in the script URL: {@code mac=${net0/mac}}, {@code buildarch},
 * {@code platform}, {@code uuid} and the SMBIOS strings. The MAC is required and decides
 * everything; the rest is checked and passed on. iPXE leaves a setting it does not have empty, so
 * an empty value means "unknown", not an error.
 */
public record MachineIdentity(String mac, String buildarch, String platform, String uuid, String serial,
                              String manufacturer, String product, String asset) {

    /** A parameter that is not what iPXE would send: the request is a 400 naming it. */
    public static final class Invalid extends io.pxewings.httpboot.InvalidField {
        Invalid(String field, String message) {
            super(field, message);
        }
    }

    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}[:-]){5}[0-9a-f]{2}");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** iPXE's ${buildarch} and ${platform}: i386, x86_64, arm64, riscv64...; pcbios, efi. */
    private static final Pattern WORD = Pattern.compile("[a-z0-9_]{1,16}");
    static final int MAX_TEXT = 128;

    public static MachineIdentity of(String mac, String buildarch, String platform, String uuid, String serial,
                                     String manufacturer, String product, String asset) {
        return new MachineIdentity(mac(mac), word("buildarch", buildarch), word("platform", platform), uuid(uuid),
                text("serial", serial), text("manufacturer", manufacturer), text("product", product), text("asset", asset));
    }

    /** Lower-case colon form; dashes (as some firmware writes it) are accepted. */
    public static String mac(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new Invalid("mac", "required (iPXE fills it in with mac=${net0/mac})");
        }
        String m = raw.toLowerCase(Locale.ROOT);
        if (!MAC.matcher(m).matches()) {
            throw new Invalid("mac", "'" + shown(raw) + "' is not a MAC address like 52:54:00:12:34:56");
        }
        return m.replace('-', ':');
    }

    private static String uuid(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        String u = raw.toLowerCase(Locale.ROOT);
        if (!UUID.matcher(u).matches()) {
            throw new Invalid("uuid", "'" + shown(raw) + "' is not an SMBIOS UUID like 4c4c4544-0031-3010-8052-b4c04f395331");
        }
        return u;
    }

    private static String word(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        if (!WORD.matcher(raw).matches()) {
            throw new Invalid(field, "'" + shown(raw) + "' is not a value iPXE reports (lower-case letters, digits, _)");
        }
        return raw;
    }

    /** SMBIOS strings: any printable text up to 128 characters; control characters are refused. */
    private static String text(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        if (raw.length() > MAX_TEXT) {
            throw new Invalid(field, "longer than " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            if (Character.isISOControl(raw.charAt(i))) {
                throw new Invalid(field, "contains a control character");
            }
        }
        return raw;
    }

    /** The script URL's query for this machine, from the checked values only (never the raw request). */
    public String query() {
        StringBuilder b = new StringBuilder("mac=").append(mac);
        param(b, "buildarch", buildarch);
        param(b, "platform", platform);
        param(b, "uuid", uuid);
        param(b, "serial", serial);
        param(b, "manufacturer", manufacturer);
        param(b, "product", product);
        param(b, "asset", asset);
        return b.toString();
    }

    private static void param(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append('&').append(name).append('=')
                    .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
    }

    private static String shown(String raw) {
        String s = raw.length() > 40 ? raw.substring(0, 40) + "..." : raw;
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
