package io.pxewings.events.codec;

import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C Trace Context {@code traceparent} (https://www.w3.org/TR/trace-context/#traceparent-header):
 * {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}. It travels with every event so
 * that one machine's boot can be followed across services.
 */
public record Traceparent(String traceId, String parentId, int flags) {

    private static final Pattern HEADER = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final HexFormat HEX = HexFormat.of();

    public Traceparent {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(parentId, "parentId");
        // §3.2.2.3/§3.2.2.4: all-zero ids are invalid.
        // Hand-checked, not String.matches: every published event builds one (no regex per event).
        if (!isLowerHex(traceId, 32) || traceId.chars().allMatch(c -> c == '0')) {
            throw new IllegalArgumentException("invalid trace id: " + traceId);
        }
        if (!isLowerHex(parentId, 16) || parentId.chars().allMatch(c -> c == '0')) {
            throw new IllegalArgumentException("invalid parent id: " + parentId);
        }
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("invalid flags: " + flags);
        }
    }

    /** Starts a new, sampled trace. */
    public static Traceparent newRoot() {
        return new Traceparent(randomHex(16), randomHex(8), 1);
    }

    /** The same trace with a new span id: what an event caused by this one carries. */
    public Traceparent child() {
        return new Traceparent(traceId, randomHex(8), flags);
    }

    public static Traceparent parse(String header) {
        var m = HEADER.matcher(header == null ? "" : header.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a version-00 traceparent: " + header);
        }
        return new Traceparent(m.group(1), m.group(2), Integer.parseInt(m.group(3), 16));
    }

    public String header() {
        return "00-" + traceId + "-" + parentId + "-" + HEX.toHexDigits((byte) flags);
    }

    private static boolean isLowerHex(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Random ids from ThreadLocalRandom, not SecureRandom: trace ids must be unique and random
     * (§3.2.2.3) but are no secret, and a SecureRandom read per event showed in the DHCP profile.
     */
    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        do {
            ThreadLocalRandom.current().nextBytes(b);
        } while (allZero(b));
        return HEX.formatHex(b);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
