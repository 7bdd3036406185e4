package io.pxewings.cli;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** One fact on one line for people: when, where, whose, what, and the data's plain fields. */
final class EventLine {

    /** In the line's own columns already, or ids no one reads on a timeline. */
    private static final java.util.Set<String> SHOWN = java.util.Set.of("id", "site", "mac", "version", "createdAt", "updatedAt");

    private EventLine() {
    }

    static String of(JsonNode e) {
        String type = e.path("type").asText().replaceFirst("^io\\.pxewings\\.", "").replaceFirst("\\.v\\d+$", "");
        return String.format("%s  %-8s %-36s %-26s %s", Text.time(e, "time"), e.path("site").asText(), e.path("subject").asText(),
                type, Text.cut(summary(e.path("data")), 120));
    }

    /** The data's scalar fields as {@code k=v}, nested records flattened; ids, what the line shows already, nulls and empties left out. */
    static String summary(JsonNode data) {
        StringBuilder s = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (v.isValueNode() && !v.isNull() && !v.asText().isEmpty() && !f.getKey().endsWith("Id") && !SHOWN.contains(f.getKey())) {
                s.append(s.length() == 0 ? "" : " ").append(f.getKey()).append('=').append(v.asText());
            } else if (v.isObject() && s.length() < 120) {
                String inner = summary(v);
                if (!inner.isEmpty()) {
                    s.append(s.length() == 0 ? "" : " ").append(inner);
                }
            }
        }
        return s.toString();
    }
}
