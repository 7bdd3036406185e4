package io.pxewings.inventory.query;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One requirement of a Kubernetes label selector
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors).
 * {@link #toString()} is the canonical text that {@link LabelSelector#parse} reads back.
 */
public sealed interface Requirement {

    String key();

    /** Whether an object with these labels satisfies the requirement. */
    boolean matches(Map<String, String> labels);

    /** {@code key=value}: the key is present with this value. */
    record Equals(String key, String value) implements Requirement {
        @Override
        public boolean matches(Map<String, String> labels) {
            return value.equals(labels.get(key));
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    /** {@code key!=value}: true also for objects without the key, as in Kubernetes. */
    record NotEquals(String key, String value) implements Requirement {
        @Override
        public boolean matches(Map<String, String> labels) {
            return !value.equals(labels.get(key));
        }

        @Override
        public String toString() {
            return key + "!=" + value;
        }
    }

    /** {@code key in (a,b)}: the key is present with one of the values. Values kept sorted, distinct. */
    record In(String key, List<String> values) implements Requirement {
        public In {
            values = List.copyOf(new TreeSet<>(values));
        }

        @Override
        public boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return v != null && values.contains(v);
        }

        @Override
        public String toString() {
            return key + " in (" + String.join(",", values) + ")";
        }
    }

    /** {@code key notin (a,b)}: true also for objects without the key, as in Kubernetes. */
    record NotIn(String key, List<String> values) implements Requirement {
        public NotIn {
            values = List.copyOf(new TreeSet<>(values));
        }

        @Override
        public boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return v == null || !values.contains(v);
        }

        @Override
        public String toString() {
            return key + " notin (" + String.join(",", values) + ")";
        }
    }

    /** {@code key}: the key is present, whatever its value. */
    record Exists(String key) implements Requirement {
        @Override
        public boolean matches(Map<String, String> labels) {
            return labels.containsKey(key);
        }

        @Override
        public String toString() {
            return key;
        }
    }

    /** {@code !key}: the key is absent. */
    record NotExists(String key) implements Requirement {
        @Override
        public boolean matches(Map<String, String> labels) {
            return !labels.containsKey(key);
        }

        @Override
        public String toString() {
            return "!" + key;
        }
    }
}
