package io.pxewings.orchestrator.timeline;

import java.util.Locale;

/**
 * Which facts a reader wants: one machine's (by its id, and by its boot MAC for the facts of the edges
 * that came before the machine was known; by the MAC alone for a NIC no machine has yet), one site's, and a type prefix ({@code io.pxewings.dhcp.});
 * a null field does not filter.
 */
public record EventFilter(String machineId, String mac, String site, String typePrefix) {

    public static final EventFilter ALL = new EventFilter(null, null, null, null);

    public EventFilter {
        mac = mac == null ? null : mac.toLowerCase(Locale.ROOT);
    }

    /** The SQL condition, with one {@code ?} per value {@link #bind} sets. */
    String where() {
        StringBuilder w = new StringBuilder();
        if (machineId != null && mac != null) {
            w.append(" AND (machine_id = ?::uuid OR subject_key = ?)");
        } else if (machineId != null) {
            w.append(" AND machine_id = ?::uuid");
        } else if (mac != null) {
            w.append(" AND subject_key = ?");
        }
        if (site != null) {
            w.append(" AND site = ?");
        }
        if (typePrefix != null) {
            w.append(" AND starts_with(type, ?)");
        }
        return w.toString();
    }

    int bind(java.sql.PreparedStatement q, int index) throws java.sql.SQLException {
        int i = index;
        if (machineId != null) {
            q.setString(i++, machineId);
        }
        if (mac != null) {
            q.setString(i++, mac);
        }
        if (site != null) {
            q.setString(i++, site);
        }
        if (typePrefix != null) {
            q.setString(i++, typePrefix);
        }
        return i;
    }
}
