package io.pxewings.orchestrator.workflow;

import java.util.Map;

/**
 * What a provision run works on: the machine and the image as the stages need them.
 *
 * @param machineId the machine
 * @param mac       its boot NIC
 * @param uefi      true when its firmware is UEFI (the boot device is set for EFI)
 * @param hasBmc    whether bmc-service can power it; without a BMC an operator powers it on
 * @param write     the write-image task's parameters (url at the machine's site, format, digests, raw size, disk hints)
 * @param kexec     the kexec task's parameters (the image's boot hints)
 * @param root      the root partition number the configure task seeds
 */
public record Target(String machineId, String mac, boolean uefi, boolean hasBmc, Map<String, String> write, Map<String, String> kexec,
                     String root) {
}
