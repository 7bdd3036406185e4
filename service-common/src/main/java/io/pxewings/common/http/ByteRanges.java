package io.pxewings.common.http;

import java.util.Locale;

/**
 * The {@code Range} header of a GET (RFC 9110 §14.1.2 syntax, §14.2 semantics) for a file of a
 * known size. Only a single byte range is served; what a server may ignore is ignored (the whole
 * file is sent): another unit, a malformed header, several ranges. Too many ranges are refused
 * with 416 (§15.5.17 allows it for "an excessive number of small or overlapping ranges"), so a
 * header of a thousand ranges costs nothing.
 */
public final class ByteRanges {

    /** More ranges than this in one header is a 416, not a parse of each. */
    public static final int MAX_RANGES = 16;

    /** What to send. */
    public sealed interface Answer permits Whole, Partial, Unsatisfiable, TooMany {
    }

    /** 200 with the whole file. */
    public record Whole() implements Answer {
    }

    /** 206 with bytes {@code first..last} (inclusive); {@code Content-Range: bytes first-last/size}. */
    public record Partial(long first, long last) implements Answer {
        public long length() {
            return last - first + 1;
        }
    }

    /** 416 with {@code Content-Range: bytes *}{@code /size}: no byte of the range exists. */
    public record Unsatisfiable() implements Answer {
    }

    /** 416: more than {@link #MAX_RANGES} ranges. */
    public record TooMany(int count) implements Answer {
    }

    /** What a 200 or 206 sends: its status, the bytes, and the {@code Content-Range} (null for 200). */
    public record Slice(int status, long offset, long length, String contentRange) {
    }

    /** The slice of a file of {@code size} bytes that {@code answer} (Whole or Partial) asks for. */
    public static Slice slice(Answer answer, long size) {
        if (answer instanceof Partial p) {
            return new Slice(206, p.first(), p.length(), "bytes " + p.first() + "-" + p.last() + "/" + size);
        }
        return new Slice(200, 0, size, null);
    }

    private static final Whole WHOLE = new Whole();

    private ByteRanges() {
    }

    public static Answer of(String header, long size) {
        if (header == null) {
            return WHOLE;
        }
        int eq = header.indexOf('=');
        if (eq < 0 || !header.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return WHOLE;   // §14.2: a range unit the server does not understand is ignored
        }
        String set = header.substring(eq + 1);
        int count = 1;
        for (int i = 0; i < set.length(); i++) {
            if (set.charAt(i) == ',') {
                count++;
            }
        }
        if (count > MAX_RANGES) {
            return new TooMany(count);
        }
        if (count > 1) {
            return WHOLE;   // several ranges: served as the whole file, which §14.2 allows
        }
        return single(set.trim(), size);
    }

    private static Answer single(String spec, long size) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return WHOLE;   // malformed: ignored
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        if (a.isEmpty()) {
            // suffix-range: the last N bytes (§14.1.2)
            long n = number(b);
            if (n < 0) {
                return WHOLE;
            }
            if (n == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Partial(Math.max(0, size - n), size - 1);
        }
        long first = number(a);
        if (first < 0) {
            return WHOLE;
        }
        long last;
        if (b.isEmpty()) {
            last = size - 1;
        } else {
            last = number(b);
            if (last < 0 || last < first) {
                return WHOLE;   // §14.1.2: last-pos before first-pos makes the range invalid; ignored
            }
            last = Math.min(last, size - 1);
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        return new Partial(first, last);
    }

    /** 1*DIGIT; a value beyond a long is Long.MAX_VALUE (past any file); -1 for anything else. */
    private static long number(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (v > (Long.MAX_VALUE - 9) / 10) {
                v = Long.MAX_VALUE;
            } else {
                v = v * 10 + (c - '0');
            }
        }
        return v;
    }
}
