package io.pxewings.bmc.bmc;

import java.util.Optional;

/**
 * A one-time or persistent boot override: what the machine boots next.
 *
 * @param device     pxe, disk, bios-setup, cd (virtual media) or none (no override)
 * @param persistent every boot, not only the next
 * @param efi        UEFI boot (else legacy BIOS)
 */
public record BootTarget(Device device, boolean persistent, boolean efi) {

    public enum Device {
        PXE("pxe"), DISK("disk"), BIOS_SETUP("bios-setup"), CD("cd"), NONE("none");

        private final String wire;

        Device(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Device> of(String wire) {
            for (Device d : values()) {
                if (d.wire.equals(wire)) {
                    return Optional.of(d);
                }
            }
            return Optional.empty();
        }
    }
}
