package io.pxewings.bmc.codec;

/**
 * The RMCP header every IPMI-over-LAN datagram starts with (IPMI v2.0 §13.1.3, DMTF ASF 2.0
 * §3.2.2.1): version 06h, a reserved byte, sequence number FFh (no RMCP ACK wanted, as §13.1.3
 * requires for IPMI), and the message class: 06h ASF, 07h IPMI.
 */
public final class Rmcp {

    /** The UDP port of IPMI over LAN (§13.1.1). */
    public static final int PORT = 623;
    public static final int VERSION = 0x06;
    public static final int CLASS_ASF = 0x06;
    public static final int CLASS_IPMI = 0x07;
    static final int NO_ACK = 0xff;

    private Rmcp() {
    }

    static byte[] header(int messageClass) {
        return new byte[] {VERSION, 0x00, (byte) NO_ACK, (byte) messageClass};
    }

    /** The message class of a datagram, after checking its RMCP header. */
    public static int messageClass(byte[] datagram) throws MalformedIpmiException {
        Wire.need(datagram, 4, "RMCP header");
        if ((datagram[0] & 0xff) != VERSION) {
            throw new MalformedIpmiException("not-rmcp", "RMCP version " + (datagram[0] & 0xff));
        }
        int cls = datagram[3] & 0x1f;   // bit 7 is the ACK flag (§13.1.3)
        if ((datagram[3] & 0x80) != 0) {
            throw new MalformedIpmiException("rmcp-ack", "an RMCP ACK, never asked for");
        }
        if (cls != CLASS_ASF && cls != CLASS_IPMI) {
            throw new MalformedIpmiException("not-rmcp", "RMCP class " + cls);
        }
        return cls;
    }
}
