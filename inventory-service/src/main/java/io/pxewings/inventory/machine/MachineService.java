package io.pxewings.inventory.machine;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.pxewings.events.codec.Traceparent;
import io.pxewings.inventory.api.Conflict;
import io.pxewings.inventory.api.Preconditions;
import io.pxewings.inventory.outbox.Transactions;
import io.pxewings.inventory.site.Sites;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;

/**
 * Operator changes to machines, each in one transaction with its facts: create, replace, merge
 * patch, delete. NIC changes keep the reservations topic current.
 */
@ApplicationScoped
public class MachineService {

    @Inject
    MachineStore store;

    @Inject
    MachineFacts facts;

    @Inject
    Sites sites;

    @Inject
    Transactions tx;

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    public Uni<Machine> create(MachineChanges changes, String cause, Traceparent trace) {
        return tx.run(() -> sites.ensure(changes.site()).flatMap(v -> {
            Machine m = Machine.create(changes.site(), changes.state() == null ? MachineState.EXPECTED : changes.state(), now());
            changes.applyScalars(m);
            return m.<Machine>persist()
                    .flatMap(x -> applyNics(m, changes.nics() == null ? List.of() : changes.nics(), trace))
                    .flatMap(changed -> facts.registered(m, cause, trace))
                    .replaceWith(m);
        }));
    }

    public Uni<Machine> replace(UUID id, JsonNode body, String ifMatch, Traceparent trace) {
        MachineChanges changes = MachineChanges.fromFull(body);
        return tx.run(() -> found(id).flatMap(m -> {
            Preconditions.ifMatch(ifMatch, m);
            return update(m, changes, "api", trace);
        }));
    }

    public Uni<Machine> patch(UUID id, JsonNode patch, String ifMatch, Traceparent trace) {
        return tx.run(() -> found(id).flatMap(m -> {
            Preconditions.ifMatch(ifMatch, m);
            return update(m, MachineChanges.fromMergePatch(patch, m), "api", trace);
        }));
    }

    public Uni<Void> delete(UUID id, String ifMatch, Traceparent trace) {
        return tx.run(() -> found(id).flatMap(m -> {
            Preconditions.ifMatch(ifMatch, m);
            List<String> macs = m.nics.stream().map(n -> n.mac).toList();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Nic n : m.nics) {
                if (n.address != null) {
                    chain = chain.flatMap(v -> facts.reservation(m, n.mac, null, trace));
                }
            }
            return chain.flatMap(v -> facts.deleted(m, macs, null, "api", trace))
                    .flatMap(v -> Machine.delete("id = ?1", m.id)).replaceWithVoid();
        }));
    }

    /** Applies operator changes to a loaded machine and writes machine.updated when anything changed. */
    public Uni<Machine> update(Machine m, MachineChanges changes, String cause, Traceparent trace) {
        String oldHostname = m.hostname;
        List<String> changed = changes.applyScalars(m);
        Uni<Void> site = changed.contains("site") ? sites.ensure(m.site) : Uni.createFrom().voidItem();
        return site.flatMap(v -> changes.nics() == null ? Uni.createFrom().item(List.<String>of()) : applyNics(m, changes.nics(), trace))
                .flatMap(nicChanges -> {
                    Set<String> all = new LinkedHashSet<>(changed);
                    all.addAll(nicChanges);
                    if (all.isEmpty()) {
                        return Uni.createFrom().item(m);
                    }
                    m.updatedAt = now();
                    Uni<Void> renamed = Objects.equals(oldHostname, m.hostname) ? Uni.createFrom().voidItem()
                            : republishReservations(m, trace);
                    return renamed.flatMap(v -> facts.updated(m, new ArrayList<>(all), cause, trace)).replaceWith(m);
                });
    }

    /**
     * Makes the machine's NICs the given set: adds new MACs (refusing one another machine holds),
     * removes the rest, sets boot flags and addresses. Address changes go to the reservations topic.
     */
    Uni<List<String>> applyNics(Machine m, List<MachineChanges.NicChange> wanted, Traceparent trace) {
        List<String> macs = wanted.stream().map(MachineChanges.NicChange::mac).toList();
        return store.owners(macs).flatMap(owners -> {
            for (var w : wanted) {
                UUID owner = owners.get(w.mac());
                if (owner != null && !owner.equals(m.id)) {
                    throw new Conflict("nics.mac", w.mac() + " belongs to machine " + owner);
                }
            }
            boolean changed = false;
            Uni<Void> chain = Uni.createFrom().voidItem();
            Map<String, MachineChanges.NicChange> byMac = new HashMap<>();
            wanted.forEach(w -> byMac.put(w.mac(), w));
            for (Nic n : List.copyOf(m.nics)) {
                if (!byMac.containsKey(n.mac)) {
                    m.nics.remove(n);
                    changed = true;
                    Nic gone = n;
                    chain = chain.flatMap(v -> Panache.getSession().flatMap(s -> s.remove(gone)));
                    if (n.address != null) {
                        chain = chain.flatMap(v -> facts.reservation(m, gone.mac, null, trace));
                    }
                }
            }
            // Unique addresses are checked row by row, so a move between NICs goes in steps: removals,
            // then every changing address cleared, then the new addresses set, then new NICs inserted.
            List<Nic> readdressed = new ArrayList<>();
            for (var w : wanted) {
                Nic n = m.nic(w.mac());
                if (n == null) {
                    continue;
                }
                if (n.boot != w.boot()) {
                    n.boot = w.boot();
                    changed = true;
                }
                if (!Objects.equals(n.address, w.address())) {
                    changed = true;
                    readdressed.add(n);
                    n.address = null;
                }
            }
            chain = chain.flatMap(v -> Panache.flush());
            for (Nic n : readdressed) {
                String address = byMac.get(n.mac).address();
                chain = chain.invoke(() -> n.address = address).flatMap(v -> facts.reservation(m, n.mac, address, trace));
            }
            chain = chain.flatMap(v -> Panache.flush());
            // New NICs join the machine only now: in its collection earlier, a flush would cascade
            // their insert ahead of the address updates above.
            List<MachineChanges.NicChange> fresh = wanted.stream().filter(w -> m.nic(w.mac()) == null).toList();
            changed |= !fresh.isEmpty();
            for (var w : fresh) {
                chain = chain.flatMap(v -> {
                    Nic n = m.addNic(w.mac());
                    n.boot = w.boot();
                    n.address = w.address();
                    Uni<Void> saved = n.persist().replaceWithVoid();
                    return n.address == null ? saved : saved.flatMap(x -> facts.reservation(m, n.mac, n.address, trace));
                });
            }
            List<String> result = changed ? List.of("nics") : List.of();
            return chain.replaceWith(result);
        });
    }

    private Uni<Void> republishReservations(Machine m, Traceparent trace) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Nic n : m.nics) {
            if (n.address != null) {
                chain = chain.flatMap(v -> facts.reservation(m, n.mac, n.address, trace));
            }
        }
        return chain;
    }

    private Uni<Machine> found(UUID id) {
        return store.byId(id).map(m -> {
            if (m == null) {
                throw new NotFoundException("no machine " + id);
            }
            return m;
        });
    }
}
