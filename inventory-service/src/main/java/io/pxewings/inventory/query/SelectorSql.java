package io.pxewings.inventory.query;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes label requirements as PostgreSQL over a jsonb column. Equality uses containment
 * ({@code @>}) so that a GIN index on the column serves it; key tests use the function
 * {@code jsonb_exists} rather than the {@code ?} operator, which JDBC and Hibernate would take for
 * a parameter placeholder.
 */
final class SelectorSql {

    private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_.]*");

    private SelectorSql() {
    }

    static LabelSelector.SqlCondition toSql(List<Requirement> requirements, String column, int firstParam) {
        if (column == null || !COLUMN.matcher(column).matches()) {
            throw new IllegalArgumentException("column name " + column + " does not match [a-z_][a-z0-9_.]*");
        }
        if (firstParam < 1) {
            throw new IllegalArgumentException("positional parameters start at 1, not " + firstParam);
        }
        if (requirements.isEmpty()) {
            return new LabelSelector.SqlCondition("true", List.of());
        }
        List<String> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        for (Requirement r : requirements) {
            if (sql.length() > 0) {
                sql.append(" and ");
            }
            if (r instanceof Requirement.Equals e) {
                contains(sql, params, column, firstParam, e.key(), e.value());
            } else if (r instanceof Requirement.NotEquals ne) {
                sql.append("not (");
                contains(sql, params, column, firstParam, ne.key(), ne.value());
                sql.append(')');
            } else if (r instanceof Requirement.In in) {
                anyOf(sql, params, column, firstParam, in.key(), in.values());
            } else if (r instanceof Requirement.NotIn notIn) {
                sql.append("not ");
                anyOf(sql, params, column, firstParam, notIn.key(), notIn.values());
            } else if (r instanceof Requirement.Exists ex) {
                exists(sql, params, column, firstParam, ex.key());
            } else if (r instanceof Requirement.NotExists nx) {
                sql.append("not ");
                exists(sql, params, column, firstParam, nx.key());
            } else {
                throw new IllegalStateException("unknown requirement " + r);
            }
        }
        return new LabelSelector.SqlCondition(sql.toString(), params);
    }

    private static void anyOf(StringBuilder sql, List<String> params, String column, int first, String key, List<String> values) {
        sql.append('(');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sql.append(" or ");
            }
            contains(sql, params, column, first, key, values.get(i));
        }
        sql.append(')');
    }

    /** {@code column @> '{"key":"value"}'}: true when the object holds that pair. */
    private static void contains(StringBuilder sql, List<String> params, String column, int first, String key, String value) {
        params.add("{" + JsonText.string(key) + ":" + JsonText.string(value) + "}");
        // The inner cast makes the parameter text: as a jsonb parameter, the Vert.x client would send a
        // Java string as a JSON string, and containment of a string never matches.
        sql.append(column).append(" @> cast(cast(?").append(first + params.size() - 1).append(" as text) as jsonb)");
    }

    private static void exists(StringBuilder sql, List<String> params, String column, int first, String key) {
        params.add(key);
        sql.append("jsonb_exists(").append(column).append(", ?").append(first + params.size() - 1).append(')');
    }
}
