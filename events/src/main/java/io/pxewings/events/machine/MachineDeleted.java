package io.pxewings.events.machine;

import java.util.List;

/**
 * A machine left inventory: an operator deleted it, or it was merged into another record of the
 * same hardware (seen first on another NIC).
 *
 * @param machineId  the machine that is gone
 * @param site       its site
 * @param hostname   its host name, or null
 * @param macs       its NICs at deletion (for a merge, they now belong to {@code mergedInto})
 * @param mergedInto the machine it was merged into, or null for a deletion
 * @param cause      {@code api} or {@code merge}
 */
public record MachineDeleted(String machineId, String site, String hostname, List<String> macs, String mergedInto,
                             String cause) {
}
