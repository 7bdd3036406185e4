package io.pxewings.cli;

/**
 * Server-Sent Events, line by line (HTML Living Standard, "Interpreting an event stream"): fields
 * {@code id}, {@code event} and {@code data} (data lines joined by newlines), an empty line ends an
 * event, a line starting with a colon is a comment (keep-alives).
 */
final class SseReader {

    record Event(String id, String type, String data) {
    }

    private String id;
    private String type;
    private StringBuilder data;

    /** The event a line completes, or null. */
    Event accept(String line) {
        if (line.isEmpty()) {
            Event e = data == null ? null : new Event(id, type, data.toString());
            type = null;
            data = null;
            return e;
        }
        if (line.startsWith(":")) {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> type = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { }
        }
        return null;
    }
}
