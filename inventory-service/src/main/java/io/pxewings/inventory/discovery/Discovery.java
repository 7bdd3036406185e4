package io.pxewings.inventory.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.dhcp.DiscoverSeen;
import io.pxewings.events.machine.HardwareChanged;
import io.pxewings.events.machine.MachineSnapshot.MachineDisk;
import io.pxewings.inventory.machine.Machine;
import io.pxewings.inventory.machine.MachineFacts;
import io.pxewings.inventory.machine.MachineService;
import io.pxewings.inventory.machine.MachineState;
import io.pxewings.inventory.machine.MachineStore;
import io.pxewings.inventory.machine.Nic;
import io.pxewings.inventory.outbox.Transactions;
import io.pxewings.inventory.site.Sites;
import io.pxewings.inventory.validation.Fields;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Machines from what the network saw, idempotently: a DHCP discover from an unknown MAC creates
 * a {@code discovered} machine (or adds the NIC to the machine with the same SMBIOS UUID); an
 * agent inventory fills in the hardware, merges records of the same machine first seen on
 * different NICs, and reports what changed since the last inventory. Applying the same fact
 * twice changes nothing the second time.
 */
@ApplicationScoped
public class Discovery {

    @Inject
    MachineStore store;

    @Inject
    MachineFacts facts;

    @Inject
    Sites sites;

    @Inject
    Transactions tx;

    /** @return what happened: {@code registered}, {@code merged}, {@code updated} or {@code unchanged} */
    public Uni<String> discoverSeen(String site, DiscoverSeen d, Traceparent trace) {
        String mac = Fields.mac("mac", d.mac());
        String uuid = Identities.uuid(d.uuid());
        String firmware = firmware(d.firmware());
        String architecture = d.architecture() == null || d.architecture().equals("UNKNOWN") ? null
                : Fields.text("architecture", d.architecture(), 32);
        return tx.run(() -> store.byMac(mac).flatMap(known -> {
            if (known != null) {
                List<String> changed = new ArrayList<>();
                if (known.architecture == null && architecture != null) {
                    known.architecture = architecture;
                    changed.add("architecture");
                }
                if (known.firmware == null && firmware != null) {
                    known.firmware = firmware;
                    changed.add("firmware");
                }
                if (changed.isEmpty()) {
                    return Uni.createFrom().item("unchanged");
                }
                known.updatedAt = MachineService.now();
                return facts.updated(known, changed, "discovery", trace).replaceWith("updated");
            }
            Uni<Machine> sameHardware = uuid == null ? Uni.createFrom().nullItem() : store.bySystemUuid(uuid);
            return sameHardware.flatMap(twin -> {
                if (twin != null) {
                    Nic n = twin.addNic(mac);
                    n.boot = twin.nics.stream().noneMatch(x -> x.boot);
                    twin.updatedAt = MachineService.now();
                    return n.persist().flatMap(x -> facts.updated(twin, List.of("nics"), "discovery", trace))
                            .replaceWith("merged");
                }
                Machine m = Machine.create(site, MachineState.DISCOVERED, MachineService.now());
                m.systemUuid = uuid;
                m.architecture = architecture;
                m.firmware = firmware;
                Nic n = m.addNic(mac);
                n.boot = true;
                return sites.ensure(site).flatMap(v -> m.persist()).flatMap(v -> n.persist())
                        .flatMap(v -> facts.registered(m, "discovery", trace)).replaceWith("registered");
            });
        }));
    }

    /** @return {@code registered}, {@code updated}, {@code merged} or {@code unchanged} */
    public Uni<String> inventoryReported(String site, InventoryReported r, Traceparent trace) {
        String mac = Fields.mac("mac", r.mac());
        String uuid = Identities.uuid(r.systemUuid());
        String serial = Identities.serial(r.serial());
        List<MachineDisk> disks = disks(r);
        List<InventoryReported.Nic> nics = nics(r, mac);
        List<String> macs = nics.stream().map(InventoryReported.Nic::mac).toList();
        return tx.run(() -> candidates(mac, uuid, serial, r.manufacturer(), macs).flatMap(found -> {
            if (found.isEmpty()) {
                Machine m = Machine.create(site, MachineState.INVENTORIED, MachineService.now());
                return sites.ensure(site).flatMap(v -> m.persist())
                        .flatMap(v -> apply(m, r, uuid, disks, nics, mac))
                        .flatMap(changed -> facts.registered(m, "inventory", trace)).replaceWith("registered");
            }
            // The oldest record survives: an imported (expected) machine keeps the id operators know.
            found.sort(Comparator.comparing((Machine x) -> x.createdAt).thenComparing(x -> x.id));
            Machine survivor = found.get(0);
            List<Machine> others = found.subList(1, found.size());
            Hardware before = Hardware.of(survivor);
            boolean hadInventory = survivor.inventoriedAt != null;
            return merge(survivor, others, trace).flatMap(mergedFields -> apply(survivor, r, uuid, disks, nics, mac)
                    .flatMap(changed -> {
                        Set<String> all = new LinkedHashSet<>(mergedFields);
                        all.addAll(changed);
                        List<HardwareChanged.Difference> differences = hadInventory
                                ? HardwareDiff.between(before, Hardware.of(r, disks, nics)) : List.of();
                        if (all.isEmpty()) {
                            return Uni.createFrom().item("unchanged");
                        }
                        survivor.updatedAt = MachineService.now();
                        Uni<Void> hw = differences.isEmpty() ? Uni.createFrom().voidItem()
                                : facts.hardwareChanged(survivor, mac, differences, trace);
                        return facts.updated(survivor, new ArrayList<>(all), others.isEmpty() ? "inventory" : "merge", trace)
                                .flatMap(v -> hw).replaceWith(others.isEmpty() ? "updated" : "merged");
                    }));
        }));
    }

    /**
     * The orchestrator's lifecycle decision (it owns the lifecycle), recorded on the machine so
     * the API, the CLI and the console show one state; an unknown machine or no change is a no-op.
     */
    public Uni<String> lifecycleChanged(io.pxewings.events.run.LifecycleChanged l, Traceparent trace) {
        MachineState to = MachineState.parse("to", l.to());
        return tx.run(() -> store.byId(UUID.fromString(l.machineId())).flatMap(m -> {
            if (m == null) {
                return Uni.createFrom().item("unknown-machine");
            }
            if (to.wire().equals(m.state)) {
                return Uni.createFrom().item("unchanged");
            }
            m.state = to.wire();
            m.updatedAt = MachineService.now();
            return facts.updated(m, List.of("state"), "orchestrator", trace).replaceWith("updated");
        }));
    }

    /** Every machine this report is about: by the boot MAC, the SMBIOS UUID, the serial, and any reported MAC. */
    private Uni<List<Machine>> candidates(String mac, String uuid, String serial, String manufacturer, List<String> macs) {
        List<Machine> found = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        Uni<Void> chain = store.byMac(mac).invoke(m -> add(found, seen, m)).replaceWithVoid();
        if (uuid != null) {
            chain = chain.flatMap(v -> store.bySystemUuid(uuid)).invoke(m -> add(found, seen, m)).replaceWithVoid();
        }
        if (serial != null && manufacturer != null) {
            chain = chain.flatMap(v -> store.bySerial(manufacturer, serial)).invoke(m -> add(found, seen, m)).replaceWithVoid();
        }
        return chain.flatMap(v -> store.owners(macs)).flatMap(owners -> {
            Uni<Void> more = Uni.createFrom().voidItem();
            for (UUID owner : new LinkedHashSet<>(owners.values())) {
                if (!seen.contains(owner)) {
                    more = more.flatMap(v -> store.byId(owner)).invoke(m -> add(found, seen, m)).replaceWithVoid();
                }
            }
            return more;
        }).replaceWith(found);
    }

    private static void add(List<Machine> found, Set<UUID> seen, Machine m) {
        if (m != null && seen.add(m.id)) {
            found.add(m);
        }
    }

    /**
     * Folds duplicate records into the survivor: their NICs move over, and what an operator set
     * there (host name, labels, BMC) fills what the survivor lacks. Each is deleted with a
     * {@code machine.deleted} naming the survivor.
     */
    private Uni<List<String>> merge(Machine survivor, List<Machine> others, Traceparent trace) {
        if (others.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Set<String> changed = new LinkedHashSet<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Machine other : others) {
            List<String> macs = other.nics.stream().map(n -> n.mac).toList();
            if (survivor.hostname == null && other.hostname != null) {
                changed.add("hostname");
            }
            if ((survivor.labels == null || survivor.labels.isEmpty()) && other.labels != null && !other.labels.isEmpty()) {
                survivor.labels = other.labels;
                changed.add("labels");
            }
            String hostname = survivor.hostname == null ? other.hostname : null;
            boolean takeBmc = survivor.bmcAddress == null && other.bmcAddress != null;
            String bmcAddress = other.bmcAddress;
            String bmcProtocol = other.bmcProtocol;
            String bmcRef = other.bmcCredentialsRef;
            if (takeBmc) {
                changed.add("bmc");
            }
            changed.add("nics");
            // Delete the duplicate first (its NICs go with it, by the foreign key), then recreate
            // the NICs on the survivor: unique host names, BMCs and addresses never collide.
            List<Nic> moved = new ArrayList<>();
            for (Nic n : other.nics) {
                Nic copy = new Nic();
                copy.mac = n.mac;
                copy.name = n.name;
                copy.speedMbps = n.speedMbps;
                copy.link = n.link;
                copy.boot = n.boot && survivor.nics.stream().noneMatch(x -> x.boot);
                copy.address = n.address;
                copy.machine = survivor;
                moved.add(copy);
            }
            chain = chain.flatMap(v -> facts.deleted(other, macs, survivor.id.toString(), "merge", trace))
                    .flatMap(v -> Machine.delete("id = ?1", other.id))
                    .flatMap(v -> io.quarkus.hibernate.reactive.panache.Panache.getSession())
                    .invoke(s -> {
                        other.nics.forEach(s::detach);
                        s.detach(other);
                    })
                    .replaceWithVoid()
                    .invoke(() -> {
                        if (hostname != null) {
                            survivor.hostname = hostname;
                        }
                        if (takeBmc) {
                            survivor.bmcAddress = bmcAddress;
                            survivor.bmcProtocol = bmcProtocol;
                            survivor.bmcCredentialsRef = bmcRef;
                        }
                    });
            for (Nic copy : moved) {
                chain = chain.invoke(() -> survivor.nics.add(copy)).flatMap(v -> copy.persist()).replaceWithVoid();
            }
        }
        return chain.replaceWith(new ArrayList<>(changed));
    }

    /** Writes the report into the machine; names the fields that changed. */
    private Uni<List<String>> apply(Machine m, InventoryReported r, String uuid, List<MachineDisk> disks,
                                    List<InventoryReported.Nic> nics, String bootMac) {
        Set<String> changed = new LinkedHashSet<>();
        if (uuid != null && !uuid.equals(m.systemUuid)) {
            m.systemUuid = uuid;
            changed.add("systemUuid");
        }
        set(changed, "serial", m.serial, text("serial", r.serial()), v -> m.serial = v);
        set(changed, "manufacturer", m.manufacturer, text("manufacturer", r.manufacturer()), v -> m.manufacturer = v);
        set(changed, "product", m.product, text("product", r.product()), v -> m.product = v);
        set(changed, "assetTag", m.assetTag, text("assetTag", r.assetTag()), v -> m.assetTag = v);
        set(changed, "firmware", m.firmware, firmware(r.firmware()), v -> m.firmware = v);
        set(changed, "cpuModel", m.cpuModel, text("cpuModel", r.cpuModel()), v -> m.cpuModel = v);
        set(changed, "cpuSockets", m.cpuSockets, count("cpuSockets", r.cpuSockets()), v -> m.cpuSockets = v);
        set(changed, "cpuCores", m.cpuCores, count("cpuCores", r.cpuCores()), v -> m.cpuCores = v);
        set(changed, "cpuThreads", m.cpuThreads, count("cpuThreads", r.cpuThreads()), v -> m.cpuThreads = v);
        set(changed, "memoryBytes", m.memoryBytes, r.memoryBytes() == null || r.memoryBytes() < 0 ? null : r.memoryBytes(),
                v -> m.memoryBytes = v);
        if (m.disks == null || !disks.equals(m.disks.items())) {
            m.disks = new io.pxewings.inventory.machine.DiskList(disks);
            changed.add("disks");
        }
        MachineState state = MachineState.parse("state", m.state);
        if (state == MachineState.EXPECTED || state == MachineState.DISCOVERED) {
            m.state = MachineState.INVENTORIED.wire();
            changed.add("state");
        }
        m.inventoriedAt = MachineService.now();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (InventoryReported.Nic reported : nics) {
            Nic n = m.nic(reported.mac());
            if (n == null) {
                Nic added = m.addNic(reported.mac());
                added.name = reported.name();
                added.speedMbps = reported.speedMbps();
                added.link = reported.link();
                added.boot = reported.mac().equals(bootMac) && m.nics.stream().noneMatch(x -> x.boot);
                changed.add("nics");
                chain = chain.flatMap(v -> added.persist()).replaceWithVoid();
            } else if (!Objects.equals(n.name, reported.name()) || !Objects.equals(n.speedMbps, reported.speedMbps())
                    || !Objects.equals(n.link, reported.link())) {
                n.name = reported.name();
                n.speedMbps = reported.speedMbps();
                n.link = reported.link();
                changed.add("nics");
            }
        }
        if (m.nics.stream().noneMatch(x -> x.boot) && m.nic(bootMac) != null) {
            m.nic(bootMac).boot = true;
            changed.add("nics");
        }
        return chain.replaceWith(new ArrayList<>(changed));
    }

    private static <T> void set(Set<String> changed, String name, T current, T value, java.util.function.Consumer<T> setter) {
        if (!Objects.equals(current, value)) {
            setter.accept(value);
            changed.add(name);
        }
    }

    private static List<MachineDisk> disks(InventoryReported r) {
        List<MachineDisk> out = new ArrayList<>();
        if (r.disks() != null) {
            for (InventoryReported.Disk d : r.disks()) {
                String name = Fields.text("disks.name", d.name(), 64);
                if (name == null) {
                    continue;
                }
                out.add(new MachineDisk(name, d.sizeBytes(), Fields.text("disks.model", d.model(), 128),
                        Fields.text("disks.serial", d.serial(), 128), d.rotational(), Fields.text("disks.wwn", d.wwn(), 128)));
            }
        }
        out.sort(Comparator.comparing(MachineDisk::name));
        return out;
    }

    /** The report's NICs with checked MACs; the boot NIC is always among them. */
    private static List<InventoryReported.Nic> nics(InventoryReported r, String bootMac) {
        List<InventoryReported.Nic> out = new ArrayList<>();
        Set<String> macs = new HashSet<>();
        if (r.nics() != null) {
            for (InventoryReported.Nic n : r.nics()) {
                if (n.mac() == null) {
                    continue;
                }
                String mac = Fields.mac("nics.mac", n.mac());
                if (macs.add(mac)) {
                    out.add(new InventoryReported.Nic(Fields.text("nics.name", n.name(), 64), mac, n.speedMbps(), n.link()));
                }
            }
        }
        if (macs.add(bootMac)) {
            out.add(new InventoryReported.Nic(null, bootMac, null, null));
        }
        out.sort(Comparator.comparing(InventoryReported.Nic::mac));
        return out;
    }

    private static String text(String field, String raw) {
        return Fields.text(field, raw, 256);
    }

    private static Integer count(String field, Integer n) {
        return n == null || n < 0 ? null : n;
    }

    static String firmware(String raw) {
        if (raw == null) {
            return null;
        }
        String f = raw.toLowerCase(Locale.ROOT);
        return f.equals("bios") || f.equals("uefi") ? f : null;
    }
}
