package io.pxewings.inventory.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.pxewings.inventory.validation.InvalidField;

/**
 * Where the next page starts: the last row's sort key and id, and a fingerprint of the query it
 * belongs to, so a cursor is not reused with other filters. Opaque to clients (base64url).
 */
public record Cursor(String sort, String key, String id, String query) {

    private static final char SEP = '\u001f';

    public String encode() {
        String raw = "v1" + SEP + sort + SEP + key + SEP + id + SEP + query;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String text) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("cursor", "is not a cursor this API returned");
        }
        String[] parts = raw.split(String.valueOf(SEP), -1);
        if (parts.length != 5 || !parts[0].equals("v1") || !parts[3].matches("[0-9a-f-]{36}")) {
            throw new InvalidField("cursor", "is not a cursor this API returned");
        }
        return new Cursor(parts[1], parts[2], parts[3], parts[4]);
    }
}
