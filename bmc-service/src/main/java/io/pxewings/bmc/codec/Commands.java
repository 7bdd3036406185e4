package io.pxewings.bmc.codec;

/**
 * The IPMI requests bmc-service sends (IPMI v2.0 section per command), as values; the answers are
 * read by the records beside this class.
 */
public final class Commands {

    public static final int NETFN_CHASSIS = 0x00;
    public static final int NETFN_APP = 0x06;
    public static final int NETFN_STORAGE = 0x0a;

    /** Privilege levels (§6.8): what a session asks for in RAKP 1 and Set Session Privilege Level. */
    public static final int PRIVILEGE_OPERATOR = 0x03;
    public static final int PRIVILEGE_ADMINISTRATOR = 0x04;

    private Commands() {
    }

    /** §22.13: channel E (this one), bit 7 asks for IPMI v2.0 extended data; requested privilege. */
    public static IpmiRequest getChannelAuthCapabilities(int privilege) {
        return new IpmiRequest(NETFN_APP, 0x38, new byte[] {(byte) 0x8e, (byte) privilege});
    }

    /**
     * §22.15: the cipher suites of this channel (0Eh), for IPMI payloads, list by suite (bit 7),
     * 16 bytes of records per {@code index} (0-63).
     */
    public static IpmiRequest getChannelCipherSuites(int index) {
        return new IpmiRequest(NETFN_APP, 0x54, new byte[] {0x0e, 0x00, (byte) (0x80 | (index & 0x3f))});
    }

    /** §20.1. */
    public static IpmiRequest getDeviceId() {
        return new IpmiRequest(NETFN_APP, 0x01, new byte[0]);
    }

    /** §22.18. */
    public static IpmiRequest setSessionPrivilegeLevel(int privilege) {
        return new IpmiRequest(NETFN_APP, 0x3b, new byte[] {(byte) privilege});
    }

    /** §22.19: the BMC's session id of the session to close. */
    public static IpmiRequest closeSession(int bmcSessionId) {
        return new IpmiRequest(NETFN_APP, 0x3c, Wire.le32(bmcSessionId));
    }

    /** §28.2. */
    public static IpmiRequest getChassisStatus() {
        return new IpmiRequest(NETFN_CHASSIS, 0x01, new byte[0]);
    }

    /** §28.3. */
    public static IpmiRequest chassisControl(ChassisControl action) {
        return new IpmiRequest(NETFN_CHASSIS, 0x02, new byte[] {(byte) action.code()});
    }

    /**
     * §28.12, parameter 3 (BMC boot flag valid bit clearing, Table 28-14), 08h: the BMC does not
     * clear the boot flags 60 s after they are set when no Chassis Control came (§28.12.1).
     */
    public static IpmiRequest keepBootFlagsPast60Seconds() {
        return new IpmiRequest(NETFN_CHASSIS, 0x08, new byte[] {0x03, 0x08});
    }

    /** §28.12, parameter 5 (boot flags, Table 28-14). */
    public static IpmiRequest setBootFlags(BootFlags flags) {
        byte[] data = new byte[6];
        data[0] = 0x05;
        System.arraycopy(flags.encode(), 0, data, 1, 5);
        return new IpmiRequest(NETFN_CHASSIS, 0x08, data);
    }

    /** §28.13: parameter 5, set selector 0, block selector 0. */
    public static IpmiRequest getBootFlags() {
        return new IpmiRequest(NETFN_CHASSIS, 0x09, new byte[] {0x05, 0x00, 0x00});
    }

    /** §31.2. */
    public static IpmiRequest getSelInfo() {
        return new IpmiRequest(NETFN_STORAGE, 0x40, new byte[0]);
    }
}
