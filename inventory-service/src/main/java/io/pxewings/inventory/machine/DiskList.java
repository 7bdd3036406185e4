package io.pxewings.inventory.machine;

import java.util.List;

import io.pxewings.events.machine.MachineSnapshot.MachineDisk;

/** A machine's disks as its jsonb column holds them: an object, since Hibernate Reactive maps jsonb to objects. */
public record DiskList(List<MachineDisk> items) {

    public DiskList {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
