package io.pxewings.image.store;

import java.util.HexFormat;
import java.util.regex.Pattern;

/** A SHA-256 content digest, {@code sha256:<64 lower-case hex>} as the OCI distribution spec writes it. */
public record Digest(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a digest is sha256: and 64 lower-case hex digits");
        }
    }

    /** Parses {@code sha256:<hex>} (or the bare hex). */
    public static Digest parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("digest: missing (sha256:<64 hex digits>)");
        }
        return new Digest(s.startsWith("sha256:") ? s.substring(7) : s);
    }

    public static Digest of(byte[] sha256) {
        return new Digest(HexFormat.of().formatHex(sha256));
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
