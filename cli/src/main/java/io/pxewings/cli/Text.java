package io.pxewings.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Cells for tables: times, sizes, labels, short ids. */
final class Text {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Text() {
    }

    static String str(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    static String time(JsonNode n, String field) {
        String t = str(n, field);
        return t == null ? null : TIME.format(Instant.parse(t));
    }

    static String since(String from, String to) {
        if (from == null || to == null) {
            return null;
        }
        Duration d = Duration.between(Instant.parse(from), Instant.parse(to));
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    static String bytes(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isNumber()) {
            return null;
        }
        double b = v.asDouble();
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return u == 0 ? String.format("%.0f %s", b, units[u]) : String.format("%.1f %s", b, units[u]);
    }

    static String labels(JsonNode labels) {
        StringBuilder s = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            s.append(s.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue().asText());
        }
        return s.toString();
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
