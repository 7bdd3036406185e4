package io.pxewings.inventory.api;

import io.pxewings.inventory.machine.Machine;
import io.pxewings.inventory.machine.MachineSnapshots;

/** If-Match (RFC 9110 §13.1.1) against a machine's ETag. Strong comparison; {@code *} matches any machine. */
public final class Preconditions {

    private Preconditions() {
    }

    public static void ifMatch(String header, Machine current) {
        if (header == null || header.isBlank()) {
            return;
        }
        String etag = MachineSnapshots.etag(current);
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag)) {
                return;
            }
        }
        throw new PreconditionFailed("If-Match " + header.trim() + " does not match the current ETag " + etag
                + ": the machine changed since it was read; GET it again and reapply the change");
    }
}
