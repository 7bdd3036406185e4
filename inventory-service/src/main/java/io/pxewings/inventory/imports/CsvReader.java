package io.pxewings.inventory.imports;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.pxewings.inventory.validation.InvalidField;

/**
 * Reads CSV records as RFC 4180 defines them: comma-separated fields, a field in double quotes
 * may hold commas, line breaks and quotes written twice ({@code ""}). Accepts CRLF, LF and lone
 * CR line ends and a missing final line end, since spreadsheets and editors differ. Counts
 * physical lines so that errors can name the line where a record starts.
 */
final class CsvReader {

    /** One record; malformed says what broke RFC 4180 in it (text after a closing quote), else null. */
    record Record(int line, List<String> fields, String malformed) {
    }

    private final Reader in;
    private final char[] buf = new char[8192];
    private int len;
    private int at;
    private int line = 1;
    private boolean started;

    CsvReader(Reader in) {
        this.in = in;
    }

    /** The next record that is not blank (every field empty or spaces), or null at the end. */
    Record next() {
        while (true) {
            if (peek() < 0) {
                return null;
            }
            Record r = record();
            for (String f : r.fields()) {
                if (!f.isBlank()) {
                    return r;
                }
            }
        }
    }

    private Record record() {
        int start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        String malformed = null;
        boolean quoted = false; // inside a quoted field
        boolean closed = false; // after the closing quote of a quoted field
        while (true) {
            int c = read();
            if (quoted) {
                if (c < 0) {
                    throw new InvalidField("file", "the quoted field that starts on line " + start
                            + " has no closing '\"' before the end of the file");
                } else if (c == '"' && peek() == '"') {
                    read();
                    field.append('"');
                } else if (c == '"') {
                    quoted = false;
                    closed = true;
                } else {
                    field.append((char) c);
                    if (c == '\n' || (c == '\r' && peek() != '\n')) {
                        line++;
                    }
                }
            } else if (c < 0 || c == '\n' || c == '\r') {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                if (c >= 0) {
                    line++;
                }
                fields.add(field.toString());
                return new Record(start, fields, malformed);
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                closed = false;
            } else if (c == '"' && field.length() == 0 && !closed) {
                quoted = true;
            } else {
                if (closed && malformed == null && c != ' ' && c != '\t') {
                    malformed = "has text after the closing '\"' of a quoted field (RFC 4180: a quote inside"
                            + " a quoted field is written twice)";
                }
                // Kept rather than dropped, so the rest of the record still lines up with the header.
                if (!closed || c != ' ' && c != '\t') {
                    field.append((char) c);
                }
            }
        }
    }

    private int read() {
        int c = peek();
        if (c >= 0) {
            at++;
        }
        return c;
    }

    private int peek() {
        if (at == len) {
            try {
                len = in.read(buf, 0, buf.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            at = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        // A UTF-8 byte order mark, which Excel writes, is not part of the first header name.
        if (!started) {
            started = true;
            if (buf[at] == '\uFEFF') {
                at++;
                return peek();
            }
        }
        return buf[at];
    }
}
