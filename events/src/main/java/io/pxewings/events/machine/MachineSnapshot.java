package io.pxewings.events.machine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A machine as inventory-service holds it after a change: the body of {@code machine.registered}
 * and {@code machine.updated}, and of {@code GET /api/v1/machines/{id}}. Never carries a secret:
 * the BMC has a reference to its credentials only.
 *
 * @param id           machine id (UUID), the key of every machine fact
 * @param site         the site it belongs to
 * @param hostname     its host name, or null
 * @param state        lifecycle state: expected, discovered, inventoried, ready, provisioning,
 *                     provisioned, failed, maintenance, retired
 * @param systemUuid   SMBIOS system UUID, lower case, or null
 * @param serial       SMBIOS system serial number
 * @param manufacturer SMBIOS manufacturer
 * @param product      SMBIOS product name
 * @param assetTag     SMBIOS chassis asset tag
 * @param architecture firmware architecture as DHCP option 93 named it (X64_UEFI, X86_BIOS, ...)
 * @param firmware     {@code bios} or {@code uefi}, or null
 * @param cpuModel     CPU model name
 * @param cpuSockets   physical packages
 * @param cpuCores     physical cores, all sockets
 * @param cpuThreads   logical CPUs
 * @param memoryBytes  memory the RAM-OS kernel saw
 * @param labels       operator labels (Kubernetes label syntax)
 * @param nics         network interfaces; MACs are unique across all machines
 * @param disks        disks from the last inventory
 * @param bmc          its BMC endpoint, or null
 * @param version      optimistic-lock version; the API's ETag is {@code "<version>"}
 * @param createdAt    when inventory first knew it
 * @param updatedAt    when it last changed
 */
public record MachineSnapshot(String id, String site, String hostname, String state, String systemUuid, String serial,
                              String manufacturer, String product, String assetTag, String architecture,
                              String firmware, String cpuModel, Integer cpuSockets, Integer cpuCores,
                              Integer cpuThreads, Long memoryBytes, Map<String, String> labels, List<MachineNic> nics,
                              List<MachineDisk> disks, BmcEndpoint bmc, long version, Instant createdAt, Instant updatedAt) {

    /**
     * @param mac       lower-case colon form, unique across all machines
     * @param name      kernel name from the last inventory, or null
     * @param speedMbps link speed, or null
     * @param link      carrier present at the last inventory, or null
     * @param boot      the NIC the machine network-boots from
     * @param address   the IPv4 address an operator reserved for it (kept on the reservations topic), or null
     */
    public record MachineNic(String mac, String name, Integer speedMbps, Boolean link, boolean boot, String address) {
    }

    /**
     * @param name       kernel name, e.g. {@code nvme0n1}
     * @param sizeBytes  capacity
     * @param model      device model
     * @param serial     device serial
     * @param rotational true for spinning disks
     * @param wwn        World Wide Name, or null
     */
    public record MachineDisk(String name, Long sizeBytes, String model, String serial, Boolean rotational, String wwn) {
    }

    /**
     * @param address        host or IP, with {@code :port} when not the protocol's default
     * @param protocol       {@code ipmi} or {@code redfish}
     * @param credentialsRef a reference to the credentials (e.g. a vault path), never the secret
     */
    public record BmcEndpoint(String address, String protocol, String credentialsRef) {
    }
}
