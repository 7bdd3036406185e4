package io.pxewings.dhcp.codec;

import java.util.Optional;
import java.util.UUID;

/** RFC 4578 client identity options of PXE firmware. */
public final class ClientIdentity {

    private ClientIdentity() {
    }

    /**
     * Option 97 (RFC 4578 §2.3): type 0 followed by a 16-byte GUID. PXE firmware sends the SMBIOS
     * system UUID here, with the first three fields little-endian (SMBIOS 2.6+ byte order), so the
     * bytes are reordered to give the UUID as dmidecode and the OS print it.
     */
    public static Optional<UUID> machineUuid(DhcpOptions options) {
        return options.bytes(OptionCode.CLIENT_MACHINE_ID)
                .filter(v -> v.length == 17 && v[0] == 0)
                .map(v -> {
                    byte[] g = new byte[16];
                    // time_low, time_mid, time_hi_and_version are little-endian on the wire.
                    g[0] = v[4]; g[1] = v[3]; g[2] = v[2]; g[3] = v[1];
                    g[4] = v[6]; g[5] = v[5];
                    g[6] = v[8]; g[7] = v[7];
                    System.arraycopy(v, 9, g, 8, 8);
                    long msb = 0;
                    long lsb = 0;
                    for (int i = 0; i < 8; i++) {
                        msb = msb << 8 | (g[i] & 0xff);
                        lsb = lsb << 8 | (g[i + 8] & 0xff);
                    }
                    return new UUID(msb, lsb);
                });
    }

    /** Option 94 (RFC 4578 §2.2): type 1 (UNDI), major, minor; returns "major.minor". */
    public static Optional<String> networkInterface(DhcpOptions options) {
        return options.bytes(OptionCode.CLIENT_NDI)
                .filter(v -> v.length == 3 && v[0] == 1)
                .map(v -> (v[1] & 0xff) + "." + (v[2] & 0xff));
    }
}
