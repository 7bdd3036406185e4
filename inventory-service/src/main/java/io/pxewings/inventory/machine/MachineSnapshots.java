package io.pxewings.inventory.machine;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.pxewings.events.machine.MachineSnapshot;

/** The entity as the API and the machine facts show it. */
public final class MachineSnapshots {

    private MachineSnapshots() {
    }

    /** The machine with its NICs (which must be loaded). */
    public static MachineSnapshot of(Machine m) {
        return of(m, m.nics);
    }

    /** The machine with NICs loaded separately (list queries fetch them for a whole page at once). */
    public static MachineSnapshot of(Machine m, List<Nic> nics) {
        List<MachineSnapshot.MachineNic> nicViews = nics.stream()
                .sorted(Comparator.comparing((Nic n) -> n.mac))
                .map(n -> new MachineSnapshot.MachineNic(n.mac, n.name, n.speedMbps, n.link, n.boot, n.address))
                .toList();
        MachineSnapshot.BmcEndpoint bmc = m.bmcAddress == null ? null
                : new MachineSnapshot.BmcEndpoint(m.bmcAddress, m.bmcProtocol, m.bmcCredentialsRef);
        Map<String, String> labels = m.labels == null ? Map.of() : new TreeMap<>(m.labels);
        return new MachineSnapshot(m.id.toString(), m.site, m.hostname, m.state, m.systemUuid, m.serial,
                m.manufacturer, m.product, m.assetTag, m.architecture, m.firmware, m.cpuModel, m.cpuSockets,
                m.cpuCores, m.cpuThreads, m.memoryBytes, labels, nicViews, m.disks == null ? List.of() : m.disks.items(),
                bmc, m.version, m.createdAt, m.updatedAt);
    }

    /** The strong ETag of a representation: the optimistic-lock version (RFC 9110 §8.8.3). */
    public static String etag(Machine m) {
        return "\"" + m.version + "\"";
    }
}
