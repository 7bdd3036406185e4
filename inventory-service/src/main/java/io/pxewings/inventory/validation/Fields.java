package io.pxewings.inventory.validation;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validators and normalizers for the values the inventory accepts from callers. Each takes the
 * name of the field to report and the raw text, and returns the canonical form, or throws
 * {@link InvalidField} quoting the offending value. Plain JDK only, so that the REST layer, the
 * bulk import and tests share one definition of "valid".
 */
public final class Fields {

    /** How much of an offending value a message quotes: enough to spot it, not a whole upload. */
    static final int QUOTE_MAX = 64;

    /** A caller cannot attach more labels than this to one object: keeps rows and indexes small. */
    public static final int MAX_LABELS = 64;

    private static final Pattern MAC_COLON = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}");
    private static final Pattern MAC_DASH = Pattern.compile("\\p{XDigit}{2}(-\\p{XDigit}{2}){5}");
    private static final Pattern MAC_CISCO = Pattern.compile("\\p{XDigit}{4}(\\.\\p{XDigit}{4}){2}");
    private static final Pattern UUID = Pattern.compile(
            "\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Kubernetes IsDNS1123Subdomain, used for label key prefixes. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** Kubernetes label name and value ("qualified name" part), at most 63 characters. */
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");

    private Fields() {
    }

    // ---- MAC -------------------------------------------------------------------------------

    /**
     * A NIC's MAC address (IEEE 802 EUI-48) as {@code aa:bb:cc:dd:ee:ff}, {@code AA-BB-CC-DD-EE-FF}
     * or Cisco's {@code aabb.ccdd.eeff}; returns lower-case colon form. Multicast and all-zero
     * addresses are refused: neither is ever the address of one interface.
     */
    public static String mac(String field, String raw) {
        String hex;
        if (raw == null || raw.isEmpty()) {
            throw new InvalidField(field, "is required: a MAC address like 52:54:00:12:34:56");
        } else if (MAC_COLON.matcher(raw).matches() || MAC_DASH.matcher(raw).matches()) {
            hex = raw.replace(":", "").replace("-", "");
        } else if (MAC_CISCO.matcher(raw).matches()) {
            hex = raw.replace(".", "");
        } else {
            throw new InvalidField(field, quote(raw)
                    + " is not a MAC address: expected aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff");
        }
        hex = asciiLower(hex);
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex, i, i + 2);
        }
        String mac = sb.toString();
        // IEEE 802: the I/G bit (least significant bit of the first octet) marks a group address.
        if ((Character.digit(hex.charAt(1), 16) & 1) != 0) {
            throw new InvalidField(field, quote(raw) + " is a multicast address; a multicast address cannot be a NIC address");
        }
        if (mac.equals("00:00:00:00:00:00")) {
            throw new InvalidField(field, quote(raw) + " is all zeros, which is not a NIC address");
        }
        return mac;
    }

    // ---- UUID ------------------------------------------------------------------------------

    /** A UUID in RFC 9562 (section 4) text form, any case; returns lower case (RFC 9562 section 4). */
    public static String uuid(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidField(field, "is required: a UUID like 4b1d3c2e-0f6a-4c8e-9d51-2a7be0c4f9a1");
        }
        if (!UUID.matcher(raw).matches()) {
            throw new InvalidField(field, quote(raw)
                    + " is not a UUID: expected 8-4-4-4-12 hex digits like 4b1d3c2e-0f6a-4c8e-9d51-2a7be0c4f9a1");
        }
        return asciiLower(raw);
    }

    /** As {@link #uuid}, but an absent value (null or empty) is allowed and gives null. */
    public static String uuidOrNull(String field, String raw) {
        return raw == null || raw.isEmpty() ? null : uuid(field, raw);
    }

    /**
     * Whether a lower-case UUID is one that firmware reports when nobody set a real one: the nil
     * and max UUIDs (RFC 9562 sections 5.9, 5.10), and {@code 03000200-0400-0500-0006-000700080009},
     * the "To be filled by O.E.M." SMBIOS UUID of many Supermicro/AMI boards. Such a UUID is shared
     * by many machines, so it must never identify one.
     */
    public static boolean isPlaceholderUuid(String lower) {
        return "00000000-0000-0000-0000-000000000000".equals(lower)
                || "ffffffff-ffff-ffff-ffff-ffffffffffff".equals(lower)
                || "03000200-0400-0500-0006-000700080009".equals(lower);
    }

    // ---- IP --------------------------------------------------------------------------------

    /** An IPv4 address as a dotted quad, no leading zeros; returns it in canonical form. */
    public static String ipv4(String field, String raw) {
        byte[] b = raw == null ? null : IpText.parseIpv4(raw);
        if (b == null) {
            throw new InvalidField(field, raw == null || raw.isEmpty() ? "is required: an IPv4 address like 192.0.2.10"
                    : quote(raw) + " is not an IPv4 address: expected four numbers 0-255 without leading zeros, like 192.0.2.10");
        }
        return IpText.formatIpv4(b, 0);
    }

    /**
     * An IPv4 address, or an IPv6 address in any RFC 4291 section 2.2 text form; returns IPv4
     * canonical or RFC 5952 canonical IPv6.
     */
    public static String ip(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidField(field, "is required: an IP address like 192.0.2.10 or 2001:db8::10");
        }
        if (raw.indexOf(':') < 0) {
            return ipv4(field, raw);
        }
        byte[] b = IpText.parseIpv6(raw);
        if (b == null) {
            throw new InvalidField(field, quote(raw) + " is not an IPv6 address (RFC 4291 section 2.2), like 2001:db8::10");
        }
        return IpText.formatIpv6(b);
    }

    // ---- names -----------------------------------------------------------------------------

    /**
     * A host name or FQDN per RFC 1123 section 2.1: dot-separated labels of 1-63 letters, digits
     * and hyphens, not starting or ending with a hyphen, at most 253 characters, an optional final
     * dot dropped; returns lower case. A name whose last label is all digits is refused: it would
     * read as an IPv4 address (RFC 1123 section 2.1, RFC 3696 section 2).
     */
    public static String hostname(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidField(field, "is required: a host name like node-12.dc1.example.com");
        }
        String s = asciiLower(raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw);
        if (s.isEmpty() || s.length() > 253) {
            throw new InvalidField(field, quote(raw) + " is not a host name: it must have 1-253 characters");
        }
        String[] labels = s.split("\\.", -1);
        for (String label : labels) {
            if (!DNS_LABEL.matcher(label).matches()) {
                throw new InvalidField(field, quote(raw) + " is not a host name (RFC 1123): each dot-separated part must have"
                        + " 1-63 letters, digits or '-', and not start or end with '-'");
            }
        }
        if (ALL_DIGITS.matcher(labels[labels.length - 1]).matches()) {
            throw new InvalidField(field, quote(raw) + " is not a host name: its last part is all digits, which reads as an address");
        }
        return s;
    }

    /** A site name: one lower-case DNS label (RFC 1123), since it becomes part of names and topics. */
    public static String site(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidField(field, "is required: a site name like dc1");
        }
        String s = asciiLower(raw);
        if (!DNS_LABEL.matcher(s).matches()) {
            throw new InvalidField(field, quote(raw)
                    + " is not a site name: expected 1-63 letters, digits or '-', not starting or ending with '-'");
        }
        return s;
    }

    // ---- BMC -------------------------------------------------------------------------------

    /**
     * Where a BMC answers: canonical host (IPv4, RFC 5952 IPv6 or lower-case host name) and an
     * optional port, null meaning the protocol's default (623 for IPMI, 443 for Redfish).
     */
    public record BmcAddress(String host, Integer port) {

        /** The canonical text form, which {@link Fields#bmcAddress} parses back to an equal record. */
        @Override
        public String toString() {
            boolean v6 = host.indexOf(':') >= 0;
            if (port == null) {
                return host;
            }
            // RFC 3986 section 3.2.2: an IPv6 literal is bracketed so its colons are not the port's.
            return (v6 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * A BMC address: IPv4, IPv6 (bare, or bracketed as in RFC 3986 section 3.2.2) or host name,
     * each with an optional {@code :port}; an IPv6 address with a port needs the brackets, as in
     * {@code [fd00::1]:623}.
     */
    public static BmcAddress bmcAddress(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidField(field, "is required: a BMC address like 192.0.2.20, [fd00::20]:623 or bmc-r12.dc1.example");
        }
        String host;
        String port = null;
        if (raw.startsWith("[")) {
            int close = raw.indexOf(']');
            if (close < 0) {
                throw new InvalidField(field, quote(raw) + " has '[' without ']': expected [IPv6] or [IPv6]:port");
            }
            String rest = raw.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new InvalidField(field, quote(raw) + " has text after ']': expected [IPv6] or [IPv6]:port");
            }
            String inner = raw.substring(1, close);
            if (inner.indexOf(':') < 0) {
                throw new InvalidField(field, quote(raw) + ": brackets are only for IPv6 addresses");
            }
            host = ip(field, inner);
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int first = raw.indexOf(':');
            if (first >= 0 && raw.indexOf(':', first + 1) >= 0) {
                return new BmcAddress(ip(field, raw), null); // bare IPv6: every colon is the address's
            }
            host = first < 0 ? raw : raw.substring(0, first);
            port = first < 0 ? null : raw.substring(first + 1);
            host = isDigitsAndDots(host) ? ipv4(field, host) : hostname(field, host);
        }
        return new BmcAddress(host, port == null ? null : port(field, raw, port));
    }

    private static int port(String field, String raw, String port) {
        if (port.isEmpty() || port.length() > 5 || !ALL_DIGITS.matcher(port).matches() || port.charAt(0) == '0'
                || Integer.parseInt(port) > 65535) {
            throw new InvalidField(field, quote(raw) + " has a bad port: expected a number 1-65535 after ':'");
        }
        return Integer.parseInt(port);
    }

    private static boolean isDigitsAndDots(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    // ---- labels ----------------------------------------------------------------------------

    /**
     * A label key with Kubernetes' rules: an optional prefix, a lower-case DNS subdomain of at most
     * 253 characters, then '/', then a name of at most 63 characters
     * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set).
     */
    public static String labelKey(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidField(field, "is required: a label key like rack or example.com/rack");
        }
        int slash = raw.indexOf('/');
        String name = slash < 0 ? raw : raw.substring(slash + 1);
        if (slash >= 0) {
            String prefix = raw.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                throw new InvalidField(field, quote(raw) + " is not a label key: the part before '/' must be a lower-case"
                        + " DNS subdomain of at most 253 characters, like example.com");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            throw new InvalidField(field, quote(raw) + " is not a label key: the name must have 1-63 characters [A-Za-z0-9-_.],"
                    + " starting and ending with a letter or digit, with at most one '/' before it");
        }
        return raw;
    }

    /** A label value with Kubernetes' rules: empty, or at most 63 characters of the name pattern. */
    public static String labelValue(String field, String raw) {
        if (raw == null) {
            throw new InvalidField(field, "is required: a label value (it may be empty)");
        }
        if (!raw.isEmpty() && (raw.length() > 63 || !LABEL_NAME.matcher(raw).matches())) {
            throw new InvalidField(field, quote(raw) + " is not a label value: expected empty, or 1-63 characters"
                    + " [A-Za-z0-9-_.] starting and ending with a letter or digit");
        }
        return raw;
    }

    /**
     * Every entry checked (a bad one reported as {@code <field>.<key>}), at most {@link #MAX_LABELS};
     * returns an unmodifiable, key-sorted copy so that stored labels and their JSON are stable.
     * Null gives an empty map.
     */
    public static Map<String, String> labels(String field, Map<String, String> raw) {
        TreeMap<String, String> out = new TreeMap<>();
        if (raw == null) {
            return java.util.Collections.unmodifiableSortedMap(out);
        }
        if (raw.size() > MAX_LABELS) {
            throw new InvalidField(field, "has " + raw.size() + " labels; at most " + MAX_LABELS + " are allowed");
        }
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String entryField = field + "." + shorten(String.valueOf(e.getKey()));
            out.put(labelKey(entryField, e.getKey()), labelValue(entryField, e.getValue()));
        }
        return java.util.Collections.unmodifiableSortedMap(out);
    }

    // ---- text ------------------------------------------------------------------------------

    /**
     * Free text, such as a description: trimmed, no control characters (they break logs and
     * terminals), at most max characters (Unicode code points, as PostgreSQL counts them); null,
     * empty or blank gives null.
     */
    public static String text(String field, String raw, int max) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        if (s.isEmpty()) {
            return null;
        }
        int n = 0;
        for (int i = 0; i < s.length(); n++) {
            int cp = s.codePointAt(i);
            if (Character.isISOControl(cp)) {
                throw new InvalidField(field, quote(raw) + " contains a control character; use plain text on one line");
            }
            // A lone surrogate cannot be encoded as UTF-8, so PostgreSQL could not store it.
            if (cp <= 0xffff && Character.isSurrogate((char) cp)) {
                throw new InvalidField(field, quote(raw) + " contains a broken (lone surrogate) character");
            }
            i += Character.charCount(cp);
        }
        if (n > max) {
            throw new InvalidField(field, "is " + n + " characters long; at most " + max + " are allowed");
        }
        return s;
    }

    // ---- helpers ---------------------------------------------------------------------------

    /**
     * An offending value as a message shows it: in double quotes, cut to {@value #QUOTE_MAX}
     * characters (then "..."), control characters as {@code \xNN} so they cannot forge log lines.
     */
    public static String quote(String raw) {
        return "\"" + shorten(raw) + "\"";
    }

    private static String shorten(String raw) {
        if (raw == null) {
            return "null";
        }
        boolean cut = raw.length() > QUOTE_MAX;
        String s = cut ? raw.substring(0, QUOTE_MAX) : raw;
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return cut ? sb.append("...").toString() : sb.toString();
    }

    /**
     * Lower-cases A-Z only. {@code String.toLowerCase} would map some non-ASCII letters to ASCII
     * (the Kelvin sign U+212A becomes 'k'), letting look-alike names through validation.
     */
    static String asciiLower(String s) {
        char[] cs = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (cs == null) {
                    cs = s.toCharArray();
                }
                cs[i] = (char) (c + 32);
            }
        }
        return cs == null ? s : new String(cs);
    }
}
