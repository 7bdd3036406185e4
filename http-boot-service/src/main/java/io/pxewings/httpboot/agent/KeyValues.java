package io.pxewings.httpboot.agent;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The agent is a busybox shell script, so it may talk in {@code KEY=VALUE} lines instead of
 * JSON: keys are upper-case letters, digits and {@code _}; a value runs to the end of its line.
 * A script reads them with {@code while IFS='=' read -r key value}, never with {@code eval}.
 */
public final class KeyValues {

    private KeyValues() {
    }

    /** Parses a body; a line without {@code =} or with a bad key is an error naming its line number. */
    public static Map<String, String> parse(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = body.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || !key(line.substring(0, eq))) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not KEY=VALUE (keys are A-Z, 0-9 and _)");
            }
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    /** Formats pairs; a key is upper-cased with other characters as {@code _}, a value loses its line breaks. */
    public static String format(Map<String, String> pairs) {
        StringBuilder b = new StringBuilder();
        pairs.forEach((k, v) -> {
            StringBuilder key = new StringBuilder();
            for (char c : k.toUpperCase(Locale.ROOT).toCharArray()) {
                key.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
            }
            StringBuilder value = new StringBuilder();
            for (char c : (v == null ? "" : v).toCharArray()) {
                value.append(Character.isISOControl(c) ? ' ' : c);
            }
            b.append(key).append('=').append(value).append('\n');
        });
        return b.toString();
    }

    private static boolean key(String k) {
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
