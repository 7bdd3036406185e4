package io.pxewings.events.bmc;

/**
 * A command for a machine's BMC, carried out by the bmc-service instance of the machine's site.
 * Effectively once: a command id seen before is not carried out again, whatever the redelivery.
 *
 * @param commandId   unique per command (a UUID); facts about it name it
 * @param machineId   the machine (inventory id); its BMC endpoint comes from inventory's facts
 * @param action      power-on, power-off, power-cycle, hard-reset, soft-off, set-boot-device,
 *                    insert-media, eject-media or refresh-power-state
 * @param bootDevice  for set-boot-device: pxe, disk, bios-setup, cd or none
 * @param persistent  for set-boot-device: every boot, not only the next (default false)
 * @param efi         for set-boot-device: UEFI (default true) or legacy BIOS
 * @param mediaUrl    for insert-media: the image's http(s) URL
 * @param requestedBy who asked: a service ("orchestrator") or a user, for the audit trail
 * @param notAfter    optional: a command received after this instant is failed ({@code expired}), not
 *                    carried out. The API's callers are told within a deadline whether their command
 *                    was taken; one stuck in a producer while Kafka was away must not power-cycle a
 *                    machine minutes after its caller was told it failed. Commands from an outbox
 *                    (the orchestrator's) have none: they are due whenever they arrive.
 */
public record BmcCommand(String commandId, String machineId, String action, String bootDevice, Boolean persistent, Boolean efi,
                         String mediaUrl, String requestedBy, java.time.Instant notAfter) {

    /** This command with the deadline {@code notAfter}. */
    public BmcCommand withNotAfter(java.time.Instant notAfter) {
        return new BmcCommand(commandId, machineId, action, bootDevice, persistent, efi, mediaUrl, requestedBy, notAfter);
    }

    /** A command with no deadline of its own. */
    public BmcCommand(String commandId, String machineId, String action, String bootDevice, Boolean persistent, Boolean efi,
                      String mediaUrl, String requestedBy) {
        this(commandId, machineId, action, bootDevice, persistent, efi, mediaUrl, requestedBy, null);
    }
}
