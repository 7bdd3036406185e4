package io.pxewings.bmc.codec;

/**
 * ASF Presence Ping and Pong (DMTF ASF 2.0 §3.2.4.3, IPMI v2.0 §13.2.3): how a BMC is found
 * without a session or credentials. The pong's supported-entities byte says whether the BMC
 * speaks IPMI (bit 7).
 */
public final class AsfPresence {

    /** ASF's IANA enterprise number, 4542, big-endian on the wire (ASF 2.0 §3.2.2.3). */
    static final int ASF_IANA = 4542;
    static final int PING = 0x80;
    static final int PONG = 0x40;

    /** What a pong says. */
    public record Pong(int tag, boolean ipmi, int enterprise) {
    }

    private AsfPresence() {
    }

    /** A presence ping carrying {@code tag} (0-254; 255 is reserved for unsolicited messages). */
    public static byte[] ping(int tag) {
        byte[] b = new byte[12];
        System.arraycopy(Rmcp.header(Rmcp.CLASS_ASF), 0, b, 0, 4);
        b[4] = 0;
        b[5] = 0;
        b[6] = (byte) (ASF_IANA >>> 8);
        b[7] = (byte) ASF_IANA;
        b[8] = (byte) PING;
        b[9] = (byte) tag;
        b[10] = 0;
        b[11] = 0;   // data length
        return b;
    }

    public static Pong pong(byte[] datagram) throws MalformedIpmiException {
        if (Rmcp.messageClass(datagram) != Rmcp.CLASS_ASF) {
            throw new MalformedIpmiException("not-asf", "RMCP class is not ASF");
        }
        Wire.need(datagram, 12, "ASF header");
        int iana = (datagram[4] & 0xff) << 24 | (datagram[5] & 0xff) << 16 | (datagram[6] & 0xff) << 8 | datagram[7] & 0xff;
        if (iana != ASF_IANA || (datagram[8] & 0xff) != PONG) {
            throw new MalformedIpmiException("not-pong", "ASF message type " + (datagram[8] & 0xff));
        }
        int length = datagram[11] & 0xff;
        Wire.need(datagram, 12 + Math.max(length, 16), "presence pong data");
        // Data: the responder's IANA number (4), OEM-defined (4), supported entities (1), interactions (1), reserved (6).
        int enterprise = (datagram[12] & 0xff) << 24 | (datagram[13] & 0xff) << 16 | (datagram[14] & 0xff) << 8 | datagram[15] & 0xff;
        return new Pong(datagram[9] & 0xff, (datagram[20] & 0x80) != 0, enterprise);
    }
}
