package io.pxewings.dhcp.codec;

/**
 * Option 93 values: RFC 4578 §2.1 and the IANA "Processor Architecture Types" registry that
 * extends it (RFC 5970 adds the "boot from HTTP" types of UEFI HTTP Boot).
 */
public enum ClientArchitecture {
    X86_BIOS(0, Firmware.BIOS, false),
    X86_UEFI(6, Firmware.UEFI, false),
    X64_UEFI(7, Firmware.UEFI, false),
    /** Registered as "EFI x86-64" in RFC 4578's errata; firmwares use it like 7. */
    X64_UEFI_ALT(9, Firmware.UEFI, false),
    ARM32_UEFI(10, Firmware.UEFI, false),
    ARM64_UEFI(11, Firmware.UEFI, false),
    X86_UEFI_HTTP(15, Firmware.UEFI, true),
    X64_UEFI_HTTP(16, Firmware.UEFI, true),
    ARM32_UEFI_HTTP(18, Firmware.UEFI, true),
    ARM64_UEFI_HTTP(19, Firmware.UEFI, true),
    X86_BIOS_HTTP(20, Firmware.BIOS, true),
    RISCV64_UEFI(27, Firmware.UEFI, false),
    RISCV64_UEFI_HTTP(28, Firmware.UEFI, true),
    UNKNOWN(-1, Firmware.UNKNOWN, false);

    /** What boots the machine, which decides the bootloader it can load. */
    public enum Firmware { BIOS, UEFI, UNKNOWN }

    private final int code;
    private final Firmware firmware;
    private final boolean http;

    ClientArchitecture(int code, Firmware firmware, boolean http) {
        this.code = code;
        this.firmware = firmware;
        this.http = http;
    }

    public int code() {
        return code;
    }

    public Firmware firmware() {
        return firmware;
    }

    /** True for UEFI HTTP Boot clients: they want a full http:// URL as the boot file. */
    public boolean httpBoot() {
        return http;
    }

    public static ClientArchitecture of(int code) {
        for (ClientArchitecture a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        return UNKNOWN;
    }

    /** The first architecture of option 93 (a list of 16-bit types; clients send one). */
    public static ClientArchitecture fromOption(DhcpOptions options) {
        return options.bytes(OptionCode.CLIENT_ARCHITECTURE)
                .filter(v -> v.length >= 2)
                .map(v -> of((v[0] & 0xff) << 8 | (v[1] & 0xff)))
                .orElse(UNKNOWN);
    }
}
