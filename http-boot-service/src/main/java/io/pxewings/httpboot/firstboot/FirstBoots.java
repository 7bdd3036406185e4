package io.pxewings.httpboot.firstboot;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which deploys' first boots have phoned home: per machine, the RAM-OS boot whose seed's token was
 * spent. A token is good for one report: the second is refused, on this instance by
 * {@link #claim} and on the site's other instances once the first-boot fact reaches them
 * ({@link #spent}). Two reports racing to two instances within the fact's delivery time could
 * both pass; both would be the same machine's, as only the seed's holder has the token.
 */
@ApplicationScoped
public class FirstBoots {

    /** A site's machines bound it, as {@link io.pxewings.httpboot.agent.MachineBoots} is bound. */
    static final int MAX = 1_000_000;

    private final Map<String, String> spentBoot = new ConcurrentHashMap<>();

    /** Spends the token of this boot's seed: true the first time, false if it was spent. */
    public boolean claim(String mac, String bootId) {
        if (spentBoot.size() >= MAX && !spentBoot.containsKey(mac)) {
            return false;
        }
        String before = spentBoot.put(mac, bootId);
        return !bootId.equals(before);
    }

    /** A first boot reported to any instance of the site (its fact). */
    public void spent(String mac, String bootId) {
        if (bootId != null && (spentBoot.size() < MAX || spentBoot.containsKey(mac))) {
            spentBoot.put(mac, bootId);
        }
    }

    public int size() {
        return spentBoot.size();
    }
}
