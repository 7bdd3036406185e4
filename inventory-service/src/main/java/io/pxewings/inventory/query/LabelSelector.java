package io.pxewings.inventory.query;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors):
 * comma-separated requirements that must all hold. Requirements are kept in a canonical order
 * (by key, then text) without repeats, so two spellings of one selector are equal and print the
 * same, which lets a page cursor carry {@link #toString()}.
 */
public final class LabelSelector {

    /** Bounds the SQL a caller can make us run. */
    public static final int MAX_REQUIREMENTS = 32;
    public static final int MAX_SET_VALUES = 64;

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());
    private static final Comparator<Requirement> CANONICAL =
            Comparator.comparing(Requirement::key).thenComparing(Requirement::toString);

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /**
     * Parses selector text; null, empty or blank selects everything.
     *
     * @throws io.pxewings.inventory.validation.InvalidField with field {@code selector}, saying what
     *         was expected at which character (counting from 1)
     */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        TreeSet<Requirement> sorted = new TreeSet<>(CANONICAL);
        sorted.addAll(new SelectorParser(text).parse());
        return new LabelSelector(List.copyOf(sorted));
    }

    /** The requirements, in canonical order. */
    public List<Requirement> requirements() {
        return requirements;
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** Kubernetes semantics: {@code !=} and {@code notin} also match objects without the key. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }

    /** A PostgreSQL condition with positional parameters, for a native query. */
    public record SqlCondition(String sql, List<String> params) {
        public SqlCondition {
            params = List.copyOf(params);
        }
    }

    /**
     * The selector as a PostgreSQL condition on a {@code jsonb} column holding a flat object of
     * string labels; the column must be NOT NULL (e.g. default '{}'), or negations would be unknown.
     * Parameters are {@code ?N} from firstParam, numbered in order of appearance.
     *
     * @param column a trusted column name (a constant of the caller), checked against {@code [a-z_][a-z0-9_.]*}
     */
    public SqlCondition toSql(String column, int firstParam) {
        return SelectorSql.toSql(requirements, column, firstParam);
    }

    /** Canonical text, e.g. {@code rack in (r1,r2),zone=a}; {@link #parse} gives back an equal selector. */
    @Override
    public String toString() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && requirements.equals(other.requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }
}
