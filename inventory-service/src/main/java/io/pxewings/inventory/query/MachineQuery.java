package io.pxewings.inventory.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.pxewings.inventory.machine.Machine;
import io.pxewings.inventory.validation.InvalidField;

/**
 * One page of a machine list as SQL: filters (site, state, label selector, free text), a keyset
 * position after the cursor, the order and the limit. Values only ever travel as parameters.
 *
 * @param site     exact site, or null
 * @param state    exact state, or null
 * @param selector label selector (Kubernetes syntax)
 * @param text     free text: a substring of host name, serial, asset tag, product, UUID, id or a MAC
 * @param sort     the order
 * @param after    where the previous page ended, or null
 * @param limit    page size
 */
public record MachineQuery(String site, String state, LabelSelector selector, String text, MachineSort sort,
                           Cursor after, int limit) {

    /** The statement and its parameters ({@code ?1}...), selecting machine ids as text. */
    public record Sql(String statement, List<Object> params) {
    }

    /** What identifies the result set, for cursors: the filters and the order, not the position. */
    public String fingerprint() {
        String f = site + "|" + state + "|" + selector + "|" + text + "|" + sort.wire();
        return Integer.toHexString(f.hashCode());
    }

    public Sql toSql() {
        StringBuilder where = new StringBuilder("true");
        List<Object> params = new ArrayList<>();
        if (site != null) {
            params.add(site);
            where.append(" and m.site = ?").append(params.size());
        }
        if (state != null) {
            params.add(state);
            where.append(" and m.state = ?").append(params.size());
        }
        if (selector != null) {
            LabelSelector.SqlCondition c = selector.toSql("m.labels", params.size() + 1);
            where.append(" and ").append(c.sql());
            params.addAll(c.params());
        }
        if (text != null) {
            String like = "%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            List<String> columns = List.of("m.hostname", "lower(m.serial)", "lower(m.asset_tag)", "lower(m.product)",
                    "m.system_uuid", "cast(m.id as text)");
            StringBuilder any = new StringBuilder();
            for (String column : columns) {
                params.add(like);
                any.append(any.length() == 0 ? "" : " or ").append(column).append(" like ?").append(params.size());
            }
            params.add(like);
            any.append(" or exists (select 1 from nic x where x.machine_id = m.id and x.mac like ?").append(params.size()).append(")");
            where.append(" and (").append(any).append(")");
        }
        if (after != null) {
            // Typed values, not text: the Vert.x client encodes a parameter by the type PostgreSQL inferred.
            params.add(sort.timestamp() ? java.time.OffsetDateTime.ofInstant(Instant.parse(after.key()), java.time.ZoneOffset.UTC)
                    : after.key());
            int key = params.size();
            params.add(java.util.UUID.fromString(after.id()));
            where.append(" and (").append(sort.key).append(", m.id) ").append(sort.descending ? "<" : ">")
                    .append(" (?").append(key).append(", ?").append(params.size()).append(")");
        }
        String direction = sort.descending ? " desc" : "";
        params.add(limit + 1);
        String sql = "select cast(m.id as text) from machine m where " + where + " order by " + sort.key + direction
                + ", m.id" + direction + " limit ?" + params.size();
        return new Sql(sql, params);
    }

    /** The cursor after {@code last}, the last row of a full page. */
    public Cursor next(Machine last) {
        return new Cursor(sort.wire(), sort.keyOf(last), last.id.toString(), fingerprint());
    }

    /** Checks a client's cursor against this query. */
    public static Cursor check(Cursor cursor, MachineSort sort, String fingerprint) {
        if (!cursor.sort().equals(sort.wire()) || !cursor.query().equals(fingerprint)) {
            throw new InvalidField("cursor", "belongs to another query (filters or sort changed); start again without it");
        }
        if (sort.timestamp()) {
            try {
                Instant.parse(cursor.key());
            } catch (DateTimeParseException e) {
                throw new InvalidField("cursor", "is not a cursor this API returned");
            }
        }
        return cursor;
    }
}
