package io.pxewings.inventory.api;

import java.util.List;

import io.pxewings.events.machine.MachineSnapshot;

/**
 * One page of machines.
 *
 * @param items the machines, in the requested order
 * @param next  the cursor of the next page, or null on the last page
 */
public record MachinePage(List<MachineSnapshot> items, String next) {
}
