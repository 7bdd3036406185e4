package io.pxewings.httpboot.files;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Validators of a file (RFC 9110 §8.8) and the conditional requests on them (§13): a strong ETag
 * from the size and modification time, and {@code Last-Modified} in IMF-fixdate. A replaced
 * kernel gets a new ETag, so a client never resumes a range of the old file on the new one.
 */
public final class Validators {

    private final String etag;
    private final long modifiedSeconds;

    public Validators(long size, long modifiedMillis) {
        this.etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modifiedMillis) + "\"";
        this.modifiedSeconds = modifiedMillis / 1000;
    }

    public String etag() {
        return etag;
    }

    public String lastModified() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(modifiedSeconds),
                ZoneOffset.UTC));
    }

    /**
     * §13.2.2 order for GET and HEAD: If-None-Match decides when present (weak comparison, §13.1.2),
     * else If-Modified-Since. True means 304.
     */
    public boolean notModified(String ifNoneMatch, String ifModifiedSince) {
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || opaque(t).equals(opaque(etag))) {
                    return true;
                }
            }
            return false;
        }
        if (ifModifiedSince != null) {
            try {
                long since = ZonedDateTime.parse(ifModifiedSince.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
                return modifiedSeconds <= since;
            } catch (DateTimeParseException e) {
                return false;   // §13.1.3: an invalid date is ignored
            }
        }
        return false;
    }

    /** §13.1.5: a Range applies only if If-Range is absent or matches (strong comparison, or the exact date). */
    public boolean rangeApplies(String ifRange) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return v.equals(etag);
        }
        try {
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond() == modifiedSeconds;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
