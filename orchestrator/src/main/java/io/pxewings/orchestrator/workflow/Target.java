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
 * @param handOff   how the provision built-in hands off to the installed system: {@code kexec} or {@code reboot} (to disk)
 */
public record Target(String machineId, String mac, boolean uefi, boolean hasBmc, Map<String, String> write, Map<String, String> kexec,
                     String root, String handOff) {

    /** What a request or the config may ask for. */
    public static final java.util.List<String> HAND_OFFS = java.util.List.of("auto", "kexec", "reboot");

    /** With the hand-off {@code auto} picks: see {@link #handOff(String, boolean)}. */
    public Target(String machineId, String mac, boolean uefi, boolean hasBmc, Map<String, String> write, Map<String, String> kexec, String root) {
        this(machineId, mac, uefi, hasBmc, write, kexec, root, handOff("auto", uefi));
    }

    /**
     * The hand-off {@code asked} ({@code auto}, {@code kexec}, {@code reboot}) for a machine:
     * {@code auto} is a kexec on BIOS machines and a reboot to disk on UEFI ones, whose firmware
     * should load the installed boot loader itself (Secure Boot's lockdown refuses kexec, and
     * measured boot records nothing that a kexec skips).
     */
    public static String handOff(String asked, boolean uefi) {
        return asked == null || asked.equals("auto") ? (uefi ? "reboot" : "kexec") : asked;
    }
}
