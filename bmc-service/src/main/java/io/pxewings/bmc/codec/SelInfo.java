package io.pxewings.bmc.codec;

/** Get SEL Info (IPMI v2.0 §31.2, Table 31-2): for the BMC's health, how full its event log is. */
public record SelInfo(String version, int entries, int freeBytes, long lastAddition, long lastErase, boolean overflow) {

    public static SelInfo decode(byte[] data) throws MalformedIpmiException {
        Wire.need(data, 14, "SEL info");
        int v = data[0] & 0xff;
        return new SelInfo((v & 0x0f) + "." + (v >>> 4), Wire.getShort(data, 1), Wire.getShort(data, 3),
                Integer.toUnsignedLong(Wire.getInt(data, 5)), Integer.toUnsignedLong(Wire.getInt(data, 9)), (data[13] & 0x80) != 0);
    }
}
