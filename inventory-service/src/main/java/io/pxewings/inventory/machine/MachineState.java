package io.pxewings.inventory.machine;

import java.util.Locale;

import io.pxewings.inventory.validation.InvalidField;

/**
 * Where a machine is in its life. Discovery moves a machine from {@code expected} or
 * {@code discovered} to {@code inventoried}; the later states belong to the orchestrator and to
 * operators. The database checks the same list (V1__machines.sql).
 */
public enum MachineState {
    /** Imported by an operator; not seen on the network yet. */
    EXPECTED,
    /** Seen by DHCP, no inventory yet. */
    DISCOVERED,
    /** Its agent reported its hardware. */
    INVENTORIED,
    READY,
    PROVISIONING,
    PROVISIONED,
    FAILED,
    MAINTENANCE,
    RETIRED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MachineState parse(String field, String raw) {
        if (raw != null) {
            for (MachineState s : values()) {
                if (s.wire().equals(raw)) {
                    return s;
                }
            }
        }
        throw new InvalidField(field, "'" + raw + "' is not a machine state; one of expected, discovered, inventoried, "
                + "ready, provisioning, provisioned, failed, maintenance, retired");
    }
}
