package io.pxewings.inventory.query;

import io.pxewings.inventory.machine.Machine;
import io.pxewings.inventory.validation.InvalidField;

/** The orders a machine list can have; each is a keyset (sort key, id), so pages never skip or repeat rows. */
public enum MachineSort {
    CREATED("createdAt", "m.created_at", false),
    CREATED_DESC("-createdAt", "m.created_at", true),
    UPDATED("updatedAt", "m.updated_at", false),
    UPDATED_DESC("-updatedAt", "m.updated_at", true),
    HOSTNAME("hostname", "coalesce(m.hostname, '')", false),
    HOSTNAME_DESC("-hostname", "coalesce(m.hostname, '')", true);

    final String wire;
    final String key;
    final boolean descending;

    MachineSort(String wire, String key, boolean descending) {
        this.wire = wire;
        this.key = key;
        this.descending = descending;
    }

    public String wire() {
        return wire;
    }

    boolean timestamp() {
        return this != HOSTNAME && this != HOSTNAME_DESC;
    }

    /** The sort key of a row, as the cursor carries it. */
    String keyOf(Machine m) {
        switch (this) {
            case CREATED:
            case CREATED_DESC:
                return m.createdAt.toString();
            case UPDATED:
            case UPDATED_DESC:
                return m.updatedAt.toString();
            default:
                return m.hostname == null ? "" : m.hostname;
        }
    }

    public static MachineSort parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return CREATED;
        }
        for (MachineSort s : values()) {
            if (s.wire.equals(raw)) {
                return s;
            }
        }
        throw new InvalidField("sort", "'" + raw + "' is not a sort; one of createdAt, updatedAt, hostname, "
                + "each with a leading '-' for descending");
    }
}
