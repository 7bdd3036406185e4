package io.pxewings.httpboot.agent;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.pxewings.events.agent.InventoryReported;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The last inventory each machine's agent reported, as this instance saw it (posted here, or
 * published by another instance of the site since this one started): the disks installer
 * templates choose from. A machine reports at every RAM-OS boot, before it is installed.
 */
@ApplicationScoped
public class Inventories {

    /** A site's machines bound it; the cap only keeps bogus reports from growing it without end. */
    static final int MAX = 200_000;

    private final Map<String, InventoryReported> byMac = new ConcurrentHashMap<>();

    public void put(InventoryReported r) {
        if (byMac.size() < MAX || byMac.containsKey(r.mac())) {
            byMac.put(r.mac(), r);
        }
    }

    public Optional<InventoryReported> get(String mac) {
        return Optional.ofNullable(byMac.get(mac));
    }
}
