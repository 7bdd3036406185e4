package io.pxewings.bmc.commands;

import java.net.URI;
import java.util.Optional;

import io.pxewings.bmc.bmc.BootTarget;
import io.pxewings.bmc.bmc.PowerAction;
import io.pxewings.events.bmc.BmcCommand;

/**
 * A command checked and read: what to do, and whether it may be tried again after the BMC did not
 * answer. A cycle or a hard reset that went unanswered may have been carried out: it is not sent
 * again (the result says so); everything else is idempotent and is.
 */
public record Plan(String action, Optional<PowerAction> power, Optional<BootTarget> boot, Optional<String> mediaUrl) {

    public boolean retryable() {
        return power.map(p -> p != PowerAction.CYCLE && p != PowerAction.HARD_RESET).orElse(true);
    }

    /** Reads a command; a clear message for anything wrong with it. */
    public static Plan of(BmcCommand c) {
        if (c.commandId() == null || !c.commandId().matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new IllegalArgumentException("commandId must be 1-100 letters, digits or ._:-");
        }
        if (c.machineId() == null || !c.machineId().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            throw new IllegalArgumentException("machineId must be a lower-case UUID");
        }
        String a = c.action() == null ? "" : c.action();
        return switch (a) {
            case "power-on", "power-off", "power-cycle", "hard-reset", "soft-off" ->
                    new Plan(a, PowerAction.of(a.replace("power-", "")), Optional.empty(), Optional.empty());
            case "set-boot-device" -> {
                BootTarget.Device d = BootTarget.Device.of(c.bootDevice() == null ? "" : c.bootDevice()).orElseThrow(() ->
                        new IllegalArgumentException("bootDevice must be pxe, disk, bios-setup, cd or none"));
                yield new Plan(a, Optional.empty(), Optional.of(new BootTarget(d, Boolean.TRUE.equals(c.persistent()),
                        !Boolean.FALSE.equals(c.efi()))), Optional.empty());
            }
            case "insert-media" -> {
                String url = c.mediaUrl();
                if (url == null || !(url.startsWith("http://") || url.startsWith("https://")) || url.length() > 2000) {
                    throw new IllegalArgumentException("mediaUrl must be an http(s) URL of at most 2000 characters");
                }
                URI.create(url);
                yield new Plan(a, Optional.empty(), Optional.empty(), Optional.of(url));
            }
            case "eject-media", "refresh-power-state" -> new Plan(a, Optional.empty(), Optional.empty(), Optional.empty());
            default -> throw new IllegalArgumentException("action must be power-on, power-off, power-cycle, hard-reset, soft-off, "
                    + "set-boot-device, insert-media, eject-media or refresh-power-state");
        };
    }
}
