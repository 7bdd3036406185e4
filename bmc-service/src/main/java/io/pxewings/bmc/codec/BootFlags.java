package io.pxewings.bmc.codec;

/**
 * The boot flags parameter (IPMI v2.0 §28.12, Table 28-14, parameter 5): byte 1 bit 7 valid,
 * bit 6 persistent (else the next boot only), bit 5 EFI (else legacy); byte 2 bits 5:2 the boot
 * device selector; bytes 3-5 left zero (no console redirection or BIOS overrides).
 */
public record BootFlags(boolean valid, boolean persistent, boolean efi, BootDevice device) {

    /** Boot device selectors (Table 28-14, data 2 bits 5:2). */
    public enum BootDevice {
        NONE(0x0), PXE(0x1), DISK(0x2), SAFE_MODE(0x3), DIAGNOSTIC(0x4), CDROM(0x5), BIOS_SETUP(0x6), FLOPPY(0xf);

        private final int selector;

        BootDevice(int selector) {
            this.selector = selector;
        }

        public int selector() {
            return selector;
        }

        public static BootDevice of(int selector) {
            for (BootDevice d : values()) {
                if (d.selector == selector) {
                    return d;
                }
            }
            return NONE;
        }
    }

    byte[] encode() {
        int b1 = (valid ? 0x80 : 0) | (persistent ? 0x40 : 0) | (efi ? 0x20 : 0);
        return new byte[] {(byte) b1, (byte) (device.selector << 2), 0, 0, 0};
    }

    /**
     * Reads a Get System Boot Options answer (§28.13): parameter version, parameter valid bit and
     * selector, then the parameter's 5 bytes.
     */
    public static BootFlags decode(byte[] data) throws MalformedIpmiException {
        Wire.need(data, 7, "boot flags");
        if ((data[1] & 0x7f) != 0x05) {
            throw new MalformedIpmiException("wrong-parameter", "boot option parameter " + (data[1] & 0x7f));
        }
        int b1 = data[2] & 0xff;
        return new BootFlags((b1 & 0x80) != 0, (b1 & 0x40) != 0, (b1 & 0x20) != 0, BootDevice.of((data[3] >>> 2) & 0x0f));
    }
}
