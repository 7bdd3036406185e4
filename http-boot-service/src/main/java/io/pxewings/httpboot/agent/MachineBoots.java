package io.pxewings.httpboot.agent;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which boot of each machine its agent tokens belong to. The first inventory of a boot makes that
 * boot the machine's: from then on only its token is accepted for that machine, until the machine
 * boots again, which it shows by a DHCP DISCOVER after that inventory (the lease facts) and a token
 * minted after that DISCOVER. A token minted meanwhile for the same MAC (another script request,
 * whoever made it) is refused: a stolen or replayed script gives no way in.
 *
 * <p>Learnt from this instance's own inventories and from the site's {@code inventory.reported}
 * facts (which carry the boot), so every instance of a site agrees; in memory, like the other
 * edge views: an instance that restarts relearns the boots as facts arrive.
 */
@ApplicationScoped
public class MachineBoots {

    /**
     * A boot some inventory made the machine's, since when, and the first DHCP DISCOVER from the
     * machine after that (null while none came): a new boot starts with one.
     */
    record Active(String bootId, Instant since, Instant discoverAfter) {
    }

    /** A site's machines bound it; the cap keeps a flood of bogus facts from growing it without end. */
    static final int MAX = 1_000_000;

    private final Map<String, Active> active = new ConcurrentHashMap<>();

    /** A DHCP DISCOVER from the MAC: its firmware (or its RAM OS) starting again. */
    public synchronized void discoverSeen(String mac, Instant at) {
        Active a = active.get(mac);
        if (a != null && a.discoverAfter() == null && at.isAfter(a.since())) {
            active.put(mac, new Active(a.bootId(), a.since(), at));
        }
    }

    /** May this token's boot report an inventory? The first one does, and becomes the machine's boot. */
    public synchronized boolean admitInventory(String mac, AgentTokens.Claims c, Instant now) {
        Active a = active.get(mac);
        if (a != null && a.bootId().equals(c.bootId())) {
            return true;
        }
        if (a == null || bootedAgain(a, c)) {
            if (active.size() < MAX || a != null) {
                active.put(mac, new Active(c.bootId(), now, null));
            }
            return true;
        }
        return false;
    }

    /** May this token's boot make any other call? Its own boot, a machine with no boot yet, or one that booted again. */
    public boolean admitCall(String mac, AgentTokens.Claims c) {
        Active a = active.get(mac);
        return a == null || a.bootId().equals(c.bootId()) || bootedAgain(a, c);
    }

    /** An inventory of this boot at {@code at}, from a fact (this instance's or another's). */
    public synchronized void activated(String mac, String bootId, Instant at) {
        Active a = active.get(mac);
        if (bootId == null || a != null && (a.bootId().equals(bootId) || !a.since().isBefore(at))) {
            return;
        }
        if (active.size() < MAX || a != null) {
            active.put(mac, new Active(bootId, at, null));
        }
    }

    /**
     * Refused for now rather than for good: the token was minted after the machine's boot reported,
     * and no DHCP DISCOVER since is known here. Either someone fetched a script meanwhile, or the
     * machine did boot again and its DISCOVER has not reached this instance yet: the site cut off
     * from Kafka, whose facts arrive when it is back (the lab test saw a RAM OS's inventory refused
     * for good that way, and the agent never sent it again). The caller may ask again; it gets in
     * only once a DISCOVER from before its token is known, so a script fetched meanwhile still
     * gives nothing.
     */
    public boolean unconfirmed(String mac, AgentTokens.Claims c) {
        Active a = active.get(mac);
        // Minting times are whole seconds: a token minted in the second of that inventory counts as after it.
        return a != null && a.discoverAfter() == null && !a.bootId().equals(c.bootId())
                && !c.minted().isBefore(a.since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** The machine DHCP-discovered after its boot's first inventory, and this token was minted after that. */
    private static boolean bootedAgain(Active a, AgentTokens.Claims c) {
        // Minting times are whole seconds: a second of slack.
        return a.discoverAfter() != null && !c.minted().isBefore(a.discoverAfter().minusSeconds(1));
    }

    public int size() {
        return active.size();
    }
}
