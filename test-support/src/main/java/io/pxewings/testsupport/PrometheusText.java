package io.pxewings.testsupport;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads numbers back from a service's {@code /q/metrics}: the Prometheus text exposition format
 * (version 0.0.4), one sample a line, {@code name{label="value",...} value [timestamp]}; comment
 * lines start with '#'. Label values are quoted and may hold escaped quotes, commas and braces.
 */
public final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*)\\})?[ \\t]+(\\S+)", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PrometheusText() {
    }

    /**
     * The sum of metric {@code name}'s samples whose labels include every given pair
     * ({@code "outcome", "completed", ...}); 0 when none does.
     */
    public static double sum(String exposition, String name, String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        double total = 0;
        Matcher sample = SAMPLE.matcher(exposition);
        while (sample.find()) {
            if (sample.group(1).equals(name) && includes(labels(sample.group(2)), labelPairs)) {
                total += value(sample.group(3));
            }
        }
        return total;
    }

    private static Map<String, String> labels(String set) {
        Map<String, String> labels = new HashMap<>();
        if (set != null) {
            Matcher m = LABEL.matcher(set);
            while (m.find()) {
                labels.put(m.group(1), unescape(m.group(2)));
            }
        }
        return labels;
    }

    /** A label value's escapes, \\, \" and \n, in one pass (so "\\n" is a backslash and an n). */
    private static String unescape(String quoted) {
        StringBuilder out = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length()) {
                char next = quoted.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean includes(Map<String, String> labels, String[] pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }

    /** A sample's value: a Go float, including +Inf, -Inf and NaN. */
    private static double value(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(text);
        }
    }
}
