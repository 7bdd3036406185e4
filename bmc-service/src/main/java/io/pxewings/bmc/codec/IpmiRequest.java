package io.pxewings.bmc.codec;

/**
 * An IPMI request to the BMC (IPMI v2.0 §13.8, Table 13-4): responder address 20h (the BMC),
 * network function and LUN, a checksum, requester address 81h (a remote console software ID),
 * the 6-bit request sequence number and LUN, the command, its data and a second checksum.
 * Each checksum is the two's complement of the sum of the bytes it covers (§13.8).
 *
 * @param netFn the network function (00h chassis, 06h application, 0Ah storage)
 * @param cmd   the command
 * @param data  request data, possibly empty
 */
public record IpmiRequest(int netFn, int cmd, byte[] data) {

    static final int BMC_ADDRESS = 0x20;
    static final int CONSOLE_ADDRESS = 0x81;

    public IpmiRequest {
        if (netFn < 0 || netFn > 0x3f || (netFn & 1) != 0) {
            throw new IllegalArgumentException("request network function " + netFn);
        }
        data = data.clone();
    }

    /** The message bytes with request sequence {@code seq} (0-63). */
    public byte[] encode(int seq) {
        byte[] m = new byte[7 + data.length];
        m[0] = (byte) BMC_ADDRESS;
        m[1] = (byte) (netFn << 2);
        m[2] = checksum(m, 0, 2);
        m[3] = (byte) CONSOLE_ADDRESS;
        m[4] = (byte) ((seq & 0x3f) << 2);
        m[5] = (byte) cmd;
        System.arraycopy(data, 0, m, 6, data.length);
        m[m.length - 1] = checksum(m, 3, m.length - 1);
        return m;
    }

    /**
     * Reads a request as a BMC does (for the project's BMC simulator and the fuzz test): both
     * checksums, an even network function; returns it with its sequence number.
     */
    public static Received decode(byte[] m) throws MalformedIpmiException {
        Wire.need(m, 7, "IPMI request");
        if (checksum(m, 0, 2) != m[2] || checksum(m, 3, m.length - 1) != m[m.length - 1]) {
            throw new MalformedIpmiException("bad-checksum", "IPMI request checksum");
        }
        int netFn = (m[1] & 0xff) >>> 2;
        if ((netFn & 1) != 0) {
            throw new MalformedIpmiException("not-a-request", "odd network function " + netFn);
        }
        return new Received(new IpmiRequest(netFn, m[5] & 0xff, java.util.Arrays.copyOfRange(m, 6, m.length - 1)),
                (m[4] & 0xff) >>> 2);
    }

    /** A request as received, with its 6-bit sequence number. */
    public record Received(IpmiRequest request, int seq) {
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    static byte checksum(byte[] b, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) {
            sum += b[i];
        }
        return (byte) -sum;
    }
}
