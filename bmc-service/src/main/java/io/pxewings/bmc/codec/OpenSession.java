package io.pxewings.bmc.codec;

/**
 * RMCP+ Open Session Request and Response (IPMI v2.0 §13.17, §13.18): the console proposes one
 * authentication, one integrity and one confidentiality algorithm (a cipher suite) and its session
 * id; the BMC answers with its own session id and the algorithms it chose. An answer naming any
 * other algorithm than asked is refused here, even with status "no errors": a BMC (pyghmi's,
 * for one) may answer a suite-17 request with SHA-1 records.
 */
public final class OpenSession {

    /** The answer: its status, and the BMC's session id when it succeeded. */
    public record Response(int tag, int status, int privilege, int consoleSessionId, int bmcSessionId) {
    }

    private OpenSession() {
    }

    /** Payload type 10h. {@code privilege} 0 asks for the highest level the algorithms allow (§13.17). */
    public static byte[] request(int tag, int privilege, int consoleSessionId, CipherSuite suite) {
        byte[] p = new byte[32];
        p[0] = (byte) tag;
        p[1] = (byte) privilege;
        Wire.putInt(p, 4, consoleSessionId);
        algorithm(p, 8, 0x00, suite.authAlgorithm());
        algorithm(p, 16, 0x01, suite.integrityAlgorithm());
        algorithm(p, 24, 0x02, suite.confidentialityAlgorithm());
        return p;
    }

    /** Payload type 11h, checked against the request's tag, session id and suite. */
    public static Response response(byte[] p, int tag, int consoleSessionId, CipherSuite suite) throws MalformedIpmiException {
        Wire.need(p, 8, "Open Session Response");
        if ((p[0] & 0xff) != (tag & 0xff)) {
            throw new MalformedIpmiException("wrong-tag", "Open Session Response tag " + (p[0] & 0xff));
        }
        int status = p[1] & 0xff;
        if (status != 0) {
            // On error the BMC may send only the first 8 bytes (§13.18).
            return new Response(tag, status, 0, Wire.getInt(p, 4), 0);
        }
        Wire.need(p, 36, "Open Session Response");
        if (Wire.getInt(p, 4) != consoleSessionId) {
            throw new MalformedIpmiException("wrong-session", "Open Session Response for another console session");
        }
        int bmc = Wire.getInt(p, 8);
        if (bmc == 0) {
            throw new MalformedIpmiException("wrong-session", "BMC session id 0 (reserved for session-less messages)");
        }
        expect(p, 12, 0x00, suite.authAlgorithm(), "authentication", suite);
        expect(p, 20, 0x01, suite.integrityAlgorithm(), "integrity", suite);
        expect(p, 28, 0x02, suite.confidentialityAlgorithm(), "confidentiality", suite);
        return new Response(tag, 0, p[2] & 0x0f, consoleSessionId, bmc);
    }

    /** An Open Session Request as a BMC reads it: the proposed algorithms (§13.17). */
    public record Request(int tag, int privilege, int consoleSessionId, int authAlgorithm, int integrityAlgorithm,
                          int confidentialityAlgorithm) {
    }

    public static Request parseRequest(byte[] p) throws MalformedIpmiException {
        Wire.need(p, 32, "Open Session Request");
        return new Request(p[0] & 0xff, p[1] & 0x0f, Wire.getInt(p, 4), p[12] & 0x3f, p[20] & 0x3f, p[28] & 0x3f);
    }

    /** The BMC's answer (§13.18): success with the suite's algorithms, or only the status when it is not 0. */
    public static byte[] response(int tag, int status, int privilege, int consoleSessionId, int bmcSessionId, CipherSuite suite) {
        if (status != 0) {
            byte[] p = new byte[8];
            p[0] = (byte) tag;
            p[1] = (byte) status;
            Wire.putInt(p, 4, consoleSessionId);
            return p;
        }
        byte[] p = new byte[36];
        p[0] = (byte) tag;
        p[2] = (byte) privilege;
        Wire.putInt(p, 4, consoleSessionId);
        Wire.putInt(p, 8, bmcSessionId);
        algorithm(p, 12, 0x00, suite.authAlgorithm());
        algorithm(p, 20, 0x01, suite.integrityAlgorithm());
        algorithm(p, 28, 0x02, suite.confidentialityAlgorithm());
        return p;
    }

    private static void algorithm(byte[] p, int at, int type, int alg) {
        p[at] = (byte) type;
        p[at + 3] = 0x08;   // payload length (§13.17: always 8)
        p[at + 4] = (byte) alg;
    }

    private static void expect(byte[] p, int at, int type, int alg, String what, CipherSuite suite) throws MalformedIpmiException {
        if ((p[at] & 0xff) != type || (p[at + 4] & 0x3f) != alg) {
            throw new MalformedIpmiException("algorithm-mismatch", "the BMC answered " + what + " algorithm "
                    + (p[at + 4] & 0x3f) + " to a " + suite + " request (" + alg + " asked)");
        }
    }
}
