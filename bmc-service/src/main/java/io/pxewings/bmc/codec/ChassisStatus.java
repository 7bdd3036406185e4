package io.pxewings.bmc.codec;

/** Get Chassis Status (IPMI v2.0 §28.2, Table 28-3): current power state, byte 1. */
public record ChassisStatus(boolean powerOn, boolean overload, boolean interlock, boolean powerFault, boolean controlFault,
                            int restorePolicy) {

    public static ChassisStatus decode(byte[] data) throws MalformedIpmiException {
        Wire.need(data, 3, "chassis status");
        int b = data[0] & 0xff;
        return new ChassisStatus((b & 0x01) != 0, (b & 0x02) != 0, (b & 0x04) != 0, (b & 0x08) != 0, (b & 0x10) != 0,
                (b >>> 5) & 0x03);
    }
}
