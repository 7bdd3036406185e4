package io.pxewings.inventory.imports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.inventory.imports.ExpectedMachines.ExpectedMachine;
import io.pxewings.inventory.imports.ImportReport.FieldError;
import io.pxewings.inventory.imports.ImportReport.RowResult;
import io.pxewings.inventory.machine.Machine;
import io.pxewings.inventory.machine.MachineChanges;
import io.pxewings.inventory.machine.MachineFacts;
import io.pxewings.inventory.machine.MachineService;
import io.pxewings.inventory.machine.MachineState;
import io.pxewings.inventory.machine.Nic;
import io.pxewings.inventory.outbox.Sequential;
import io.pxewings.inventory.outbox.Transactions;
import io.pxewings.inventory.site.Sites;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Writes the valid rows of an import in one transaction, chunk by chunk: a row whose MAC exists
 * updates that machine (host name, labels, BMC, address; never its site), a new MAC creates an
 * {@code expected} machine. A row that would take a host name, address or BMC another machine
 * holds fails alone, before anything is written. Facts go to the outbox with the rows.
 */
@ApplicationScoped
public class Importer {

    static final int CHUNK = 500;

    @Inject
    MachineFacts facts;

    @Inject
    io.pxewings.inventory.outbox.Outbox outbox;

    @Inject
    Sites sites;

    @Inject
    Transactions tx;

    @Inject
    MeterRegistry registry;

    public Uni<ImportReport> run(ExpectedMachines.Parsed parsed, boolean dryRun, Traceparent trace) {
        Map<Integer, RowResult> results = new HashMap<>();
        for (ExpectedMachines.RowError e : parsed.errors()) {
            results.merge(e.line(), failed(e.line(), null, e.field(), e.message()), Importer::join);
        }
        List<ExpectedMachine> rows = parsed.rows();
        Uni<Void> work = tx.run(() -> outbox.gathered(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String site : new LinkedHashSet<>(rows.stream().map(ExpectedMachine::site).toList())) {
                chain = chain.flatMap(v -> sites.ensure(site));
            }
            for (int i = 0; i < rows.size(); i += CHUNK) {
                List<ExpectedMachine> chunk = rows.subList(i, Math.min(rows.size(), i + CHUNK));
                chain = chain.flatMap(v -> chunk(chunk, results, trace));
            }
            return chain;
        }).flatMap(v -> dryRun ? Panache.currentTransaction().invoke(t -> t.markForRollback()).replaceWithVoid()
                : Uni.createFrom().voidItem()));
        return work.map(v -> report(results, dryRun));
    }

    private Uni<Void> chunk(List<ExpectedMachine> chunk, Map<Integer, RowResult> results, Traceparent trace) {
        List<String> macs = chunk.stream().map(ExpectedMachine::mac).toList();
        List<String> hostnames = chunk.stream().map(ExpectedMachine::hostname).filter(Objects::nonNull).distinct().toList();
        List<String> addresses = chunk.stream().map(ExpectedMachine::address).filter(Objects::nonNull).distinct().toList();
        List<String> bmcs = chunk.stream().map(r -> r.bmcAddress() == null ? null : r.bmcAddress().toString())
                .filter(Objects::nonNull).distinct().toList();
        Holders holders = new Holders();
        return Nic.<Nic>find("select n from Nic n join fetch n.machine where n.mac in ?1", macs).list()
                .invoke(nics -> nics.forEach(n -> holders.macs.put(n.mac, n.machine.id)))
                .flatMap(x -> holders.macs.isEmpty() ? Uni.createFrom().item(List.<Machine>of())
                        : Machine.<Machine>list("select distinct m from Machine m left join fetch m.nics where m.id in ?1",
                        new ArrayList<>(holders.macs.values())))
                .invoke(machines -> machines.forEach(m -> holders.machines.put(m.id, m)))
                .flatMap(x -> hostnames.isEmpty() ? Uni.createFrom().item(List.<Machine>of())
                        : Machine.<Machine>list("from Machine m where m.hostname in ?1", hostnames))
                .invoke(machines -> machines.forEach(m -> holders.hostnames.put(m.site + "/" + m.hostname, m.id)))
                .flatMap(x -> addresses.isEmpty() ? Uni.createFrom().item(List.<Nic>of())
                        : Nic.<Nic>list("select n from Nic n join fetch n.machine where n.address in ?1", addresses))
                .invoke(nics -> nics.forEach(n -> holders.addresses.put(n.address, n.mac)))
                .flatMap(x -> bmcs.isEmpty() ? Uni.createFrom().item(List.<Machine>of())
                        : Machine.<Machine>list("from Machine m where m.bmcAddress in ?1", bmcs))
                .invoke(machines -> machines.forEach(m -> holders.bmcs.put(m.bmcAddress, m.id)))
                .flatMap(x -> write(chunk, holders, results, trace));
    }

    /** Who holds what the chunk's rows want: MACs, host names (per site), addresses, BMCs. */
    static final class Holders {
        final Map<String, UUID> macs = new HashMap<>();
        final Map<UUID, Machine> machines = new HashMap<>();
        final Map<String, UUID> hostnames = new HashMap<>();
        final Map<String, String> addresses = new HashMap<>();
        final Map<String, UUID> bmcs = new HashMap<>();
    }

    private Uni<Void> write(List<ExpectedMachine> chunk, Holders holders, Map<Integer, RowResult> results, Traceparent trace) {
        List<Machine> created = new ArrayList<>();
        Map<Machine, List<String>> updated = new HashMap<>();
        Map<Machine, String> reservations = new HashMap<>();
        List<Object> fresh = new ArrayList<>();
        for (ExpectedMachine row : chunk) {
            UUID owner = holders.macs.get(row.mac());
            Machine existing = owner == null ? null : holders.machines.get(owner);
            List<FieldError> errors = conflicts(row, owner, existing, holders);
            if (!errors.isEmpty()) {
                results.put(row.line(), new RowResult(row.line(), row.mac(), "failed", owner == null ? null : owner.toString(), errors));
                continue;
            }
            MachineChanges.BmcChange bmc = row.bmcAddress() == null ? null
                    : new MachineChanges.BmcChange(row.bmcAddress().toString(), row.bmcProtocol(), row.bmcCredentials());
            MachineChanges changes = MachineChanges.fromImport(row.site(), row.hostname(), row.labels(), bmc);
            if (existing == null) {
                Machine m = Machine.create(row.site(), MachineState.EXPECTED, MachineService.now());
                changes.applyScalars(m);
                Nic n = m.addNic(row.mac());
                n.boot = true;
                n.address = row.address();
                created.add(m);
                if (n.address != null) {
                    reservations.put(m, n.mac);
                }
                fresh.add(m);
                fresh.add(n);
                results.put(row.line(), new RowResult(row.line(), row.mac(), "created", m.id.toString(), List.of()));
                claim(holders, row, m.id);
                continue;
            }
            List<String> changed = new ArrayList<>(changes.applyScalars(existing));
            Nic n = existing.nic(row.mac());
            if (row.address() != null && !row.address().equals(n.address)) {
                n.address = row.address();
                changed.add("nics");
                reservations.put(existing, n.mac);
            } else if (changed.contains("hostname") && n.address != null) {
                reservations.put(existing, n.mac);
            }
            if (changed.isEmpty()) {
                results.put(row.line(), new RowResult(row.line(), row.mac(), "unchanged", existing.id.toString(), List.of()));
            } else {
                existing.updatedAt = MachineService.now();
                updated.merge(existing, changed, (a, b) -> {
                    Set<String> all = new LinkedHashSet<>(a);
                    all.addAll(b);
                    return new ArrayList<>(all);
                });
                results.put(row.line(), new RowResult(row.line(), row.mac(), "updated", existing.id.toString(), List.of()));
            }
            claim(holders, row, existing.id);
        }
        // One flush for the chunk (batched inserts and updates), then its facts with the committed versions.
        Uni<Void> written = Panache.getSession().flatMap(session -> session.persistAll(fresh.toArray()))
                .flatMap(v -> Panache.flush())
                .flatMap(v -> Sequential.each(created, m -> facts.registeredFlushed(m, "import", trace)))
                .flatMap(v -> Sequential.each(new ArrayList<>(updated.entrySet()),
                        e -> facts.updatedFlushed(e.getKey(), e.getValue(), "import", trace)))
                .flatMap(v -> Sequential.each(new ArrayList<>(reservations.entrySet()), e -> {
                    Nic n = e.getKey().nic(e.getValue());
                    return facts.reservation(e.getKey(), n.mac, n.address, trace);
                }));
        // Then the session forgets the chunk: otherwise every later flush (and every query's
        // auto-flush) would dirty-check all machines of the import so far.
        return written.flatMap(v -> Panache.flush()).flatMap(v -> Panache.getSession()).invoke(s -> s.clear())
                .replaceWithVoid();
    }

    /** What the row wants that another machine holds, checked before anything is written. */
    static List<FieldError> conflicts(ExpectedMachine row, UUID owner, Machine existing, Holders holders) {
        List<FieldError> errors = new ArrayList<>();
        if (existing != null && !existing.site.equals(row.site())) {
            errors.add(new FieldError("site", "mac " + row.mac() + " belongs to machine " + existing.id + " in site "
                    + existing.site + "; an import does not move machines between sites (PATCH its site)"));
        }
        UUID hostHolder = row.hostname() == null ? null : holders.hostnames.get(row.site() + "/" + row.hostname());
        if (hostHolder != null && !hostHolder.equals(owner)) {
            errors.add(new FieldError("hostname", row.hostname() + " is the host name of machine " + hostHolder
                    + " in site " + row.site()));
        }
        String addressHolder = row.address() == null ? null : holders.addresses.get(row.address());
        if (addressHolder != null && !addressHolder.equals(row.mac())) {
            errors.add(new FieldError("address", row.address() + " is reserved for NIC " + addressHolder));
        }
        UUID bmcHolder = row.bmcAddress() == null ? null : holders.bmcs.get(row.bmcAddress().toString());
        if (bmcHolder != null && !bmcHolder.equals(owner)) {
            errors.add(new FieldError("bmc_address", row.bmcAddress() + " is the BMC of machine " + bmcHolder));
        }
        return errors;
    }

    /** Later rows of the same chunk see what this row took. */
    private static void claim(Holders holders, ExpectedMachine row, UUID id) {
        if (row.hostname() != null) {
            holders.hostnames.put(row.site() + "/" + row.hostname(), id);
        }
        if (row.address() != null) {
            holders.addresses.put(row.address(), row.mac());
        }
        if (row.bmcAddress() != null) {
            holders.bmcs.put(row.bmcAddress().toString(), id);
        }
    }

    private static RowResult failed(int line, String mac, String field, String message) {
        return new RowResult(line, mac, "failed", null, List.of(new FieldError(field, message)));
    }

    private static RowResult join(RowResult a, RowResult b) {
        List<FieldError> all = new ArrayList<>(a.errors());
        all.addAll(b.errors());
        return new RowResult(a.line(), a.mac() != null ? a.mac() : b.mac(), "failed", null, all);
    }

    private ImportReport report(Map<Integer, RowResult> results, boolean dryRun) {
        List<RowResult> rows = results.values().stream().sorted(Comparator.comparingInt(RowResult::line)).toList();
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int failed = 0;
        for (RowResult r : rows) {
            switch (r.result()) {
                case "created":
                    created++;
                    break;
                case "updated":
                    updated++;
                    break;
                case "unchanged":
                    unchanged++;
                    break;
                default:
                    failed++;
            }
        }
        count("created", created, dryRun);
        count("updated", updated, dryRun);
        count("unchanged", unchanged, dryRun);
        count("failed", failed, dryRun);
        return new ImportReport(dryRun, created, updated, unchanged, failed, rows);
    }

    private void count(String result, int n, boolean dryRun) {
        if (n > 0) {
            registry.counter("wings_inventory_import_rows", "result", result, "dry_run", Boolean.toString(dryRun)).increment(n);
        }
    }
}
