package io.pxewings.bmc.codec;

/** Get Device ID (IPMI v2.0 §20.1, Table 20-2). */
public record DeviceId(int deviceId, int revision, String firmware, String ipmiVersion, int manufacturer, int product) {

    public static DeviceId decode(byte[] data) throws MalformedIpmiException {
        Wire.need(data, 11, "device id");
        int major = data[2] & 0x7f;
        int minor = data[3] & 0xff;   // BCD
        String firmware = major + "." + Integer.toHexString(minor >>> 4) + Integer.toHexString(minor & 0x0f);
        int ipmi = data[4] & 0xff;    // BCD: 51h = 1.5, 02h = 2.0
        String version = (ipmi & 0x0f) + "." + (ipmi >>> 4);
        int manufacturer = (data[6] & 0xff) | (data[7] & 0xff) << 8 | (data[8] & 0x0f) << 16;
        int product = (data[9] & 0xff) | (data[10] & 0xff) << 8;
        return new DeviceId(data[0] & 0xff, data[1] & 0x0f, firmware, version, manufacturer, product);
    }
}
