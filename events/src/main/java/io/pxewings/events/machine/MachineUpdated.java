package io.pxewings.events.machine;

import java.util.List;

/**
 * A machine changed: an operator edit, an import row, discovery filling in facts, a NIC merged.
 *
 * @param machine the machine after the change
 * @param changed names of the top-level fields that changed (e.g. {@code hostname}, {@code labels}, {@code nics})
 * @param cause   {@code api}, {@code import}, {@code discovery}, {@code inventory} or {@code merge}
 */
public record MachineUpdated(MachineSnapshot machine, List<String> changed, String cause) {
}
