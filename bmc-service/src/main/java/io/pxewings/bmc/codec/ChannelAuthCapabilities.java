package io.pxewings.bmc.codec;

/**
 * Get Channel Authentication Capabilities (IPMI v2.0 §22.13, Table 22-15): whether the channel
 * speaks IPMI v2.0 (RMCP+), and whether a BMC key (K_G) is set, which changes the SIK.
 */
public record ChannelAuthCapabilities(int channel, boolean ipmi20, boolean kgSet, boolean anonymousLogin) {

    public static ChannelAuthCapabilities decode(byte[] data) throws MalformedIpmiException {
        Wire.need(data, 8, "channel authentication capabilities");
        int b1 = data[1] & 0xff;
        int b2 = data[2] & 0xff;
        int b3 = data[3] & 0xff;
        // Byte 1 bit 7: extended capabilities follow; byte 3 bit 1: IPMI v2.0 (RMCP+) supported.
        boolean v20 = (b1 & 0x80) != 0 && (b3 & 0x02) != 0;
        return new ChannelAuthCapabilities(data[0] & 0x0f, v20, (b2 & 0x20) != 0, (b2 & 0x01) != 0);
    }
}
