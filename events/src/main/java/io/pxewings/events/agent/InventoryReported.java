package io.pxewings.events.agent;

import java.util.List;

/**
 * A machine's hardware as the RAM-only OS agent found it: the body of
 * {@code POST /api/agent/v1/inventory} and the payload of {@code agent.inventory.reported}. Sizes
 * are bytes; a value the agent could not read is null (or false, or an empty list).
 *
 * @param mac          the boot NIC (the agent's token is for this MAC)
 * @param firmware     {@code uefi} or {@code bios}
 * @param systemUuid   SMBIOS system UUID, lower case
 * @param serial       SMBIOS system serial number
 * @param manufacturer SMBIOS system manufacturer
 * @param product      SMBIOS product name
 * @param assetTag     SMBIOS chassis asset tag
 * @param cpuModel     the CPU model name
 * @param cpuSockets   physical packages
 * @param cpuCores     physical cores, all sockets
 * @param cpuThreads   logical CPUs
 * @param memoryBytes  memory the kernel sees (MemTotal)
 * @param disks        block devices that are disks (no partitions, loop or RAM devices)
 * @param nics         physical network interfaces
 * @param agentVersion the agent's version
 * @param bootId       the boot the agent's token was minted for (http-boot-service sets it from the
 *                     token, whatever the agent sent); the first inventory of a boot makes it the
 *                     machine's only accepted boot until the machine boots again
 */
public record InventoryReported(String mac, String firmware, String systemUuid, String serial, String manufacturer,
                                String product, String assetTag, String cpuModel, Integer cpuSockets, Integer cpuCores,
                                Integer cpuThreads, Long memoryBytes, List<Disk> disks, List<Nic> nics,
                                String agentVersion, String bootId) {

    /**
     * @param name       kernel name, e.g. {@code vda}, {@code nvme0n1}
     * @param sizeBytes  capacity
     * @param model      device model
     * @param serial     device serial
     * @param rotational true for spinning disks
     * @param wwn        World Wide Name, if the device has one
     */
    public record Disk(String name, Long sizeBytes, String model, String serial, Boolean rotational, String wwn) {
    }

    /**
     * @param name      kernel name, e.g. {@code eth0}, {@code enp1s0}
     * @param mac       its MAC, lower-case colon form
     * @param speedMbps link speed, null when the link is down or unknown
     * @param link      carrier present
     */
    public record Nic(String name, String mac, Integer speedMbps, Boolean link) {
    }

    /** The same report, for boot {@code boot}. */
    public InventoryReported forBoot(String boot) {
        return new InventoryReported(mac, firmware, systemUuid, serial, manufacturer, product, assetTag, cpuModel, cpuSockets, cpuCores,
                cpuThreads, memoryBytes, disks, nics, agentVersion, boot);
    }
}
