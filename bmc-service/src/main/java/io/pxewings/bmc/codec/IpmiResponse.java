package io.pxewings.bmc.codec;

import java.util.Arrays;

/**
 * An IPMI response from the BMC (IPMI v2.0 §13.8, Table 13-5): requester address, network function
 * (the request's plus one) and LUN, checksum, responder address, sequence and LUN, command,
 * completion code (§5.2), data, checksum.
 */
public record IpmiResponse(int netFn, int cmd, int seq, int completionCode, byte[] data) {

    public IpmiResponse {
        data = data.clone();
    }

    public static IpmiResponse decode(byte[] m) throws MalformedIpmiException {
        Wire.need(m, 8, "IPMI response");
        if (IpmiRequest.checksum(m, 0, 2) != m[2]) {
            throw new MalformedIpmiException("bad-checksum", "IPMI header checksum");
        }
        if (IpmiRequest.checksum(m, 3, m.length - 1) != m[m.length - 1]) {
            throw new MalformedIpmiException("bad-checksum", "IPMI data checksum");
        }
        int netFn = (m[1] & 0xff) >>> 2;
        if ((netFn & 1) == 0) {
            throw new MalformedIpmiException("not-a-response", "even network function " + netFn);
        }
        return new IpmiResponse(netFn, m[5] & 0xff, (m[4] & 0xff) >>> 2, m[6] & 0xff, Arrays.copyOfRange(m, 7, m.length - 1));
    }

    /** The message bytes, as a BMC sends them (Table 13-5). */
    public byte[] encode() {
        byte[] m = new byte[8 + data.length];
        m[0] = (byte) IpmiRequest.CONSOLE_ADDRESS;
        m[1] = (byte) (netFn << 2);
        m[2] = IpmiRequest.checksum(m, 0, 2);
        m[3] = (byte) IpmiRequest.BMC_ADDRESS;
        m[4] = (byte) ((seq & 0x3f) << 2);
        m[5] = (byte) cmd;
        m[6] = (byte) completionCode;
        System.arraycopy(data, 0, m, 7, data.length);
        m[m.length - 1] = IpmiRequest.checksum(m, 3, m.length - 1);
        return m;
    }

    /** The answer to {@code received} with {@code completionCode} and {@code data}. */
    public static IpmiResponse to(IpmiRequest.Received received, int completionCode, byte[] data) {
        return new IpmiResponse(received.request().netFn() + 1, received.request().cmd(), received.seq(), completionCode, data);
    }

    /** True when this answers {@code request} sent with sequence {@code seq}. */
    public boolean answers(IpmiRequest request, int seq) {
        return netFn == request.netFn() + 1 && cmd == request.cmd() && this.seq == (seq & 0x3f);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }
}
