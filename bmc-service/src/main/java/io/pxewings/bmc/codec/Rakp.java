package io.pxewings.bmc.codec;

import java.nio.charset.StandardCharsets;

/**
 * RAKP messages 1-4 (IPMI v2.0 §13.20-13.23) and their key-exchange authentication codes
 * (§13.31): the console proves it knows the user's password (RAKP 3), the BMC that it does too
 * (RAKP 2) and that it derived the same session key (RAKP 4). Every code is checked in constant
 * time; a BMC that fails any check is refused, its session never used.
 */
public final class Rakp {

    /** RAKP 2 as received (§13.21). */
    public record Message2(int tag, int status, int consoleSessionId, byte[] rc, byte[] guid, byte[] authCode) {
    }

    /** RAKP 4 as received (§13.23). */
    public record Message4(int tag, int status, int consoleSessionId, byte[] icv) {
    }

    private Rakp() {
    }

    /** Payload type 12h. {@code role}: privilege level in bits 3:0, bit 4 set for name-only lookup (§13.20). */
    public static byte[] message1(int tag, int bmcSessionId, byte[] rm, int role, String user) {
        byte[] name = name(user);
        byte[] p = new byte[28 + name.length];
        p[0] = (byte) tag;
        Wire.putInt(p, 4, bmcSessionId);
        System.arraycopy(rm, 0, p, 8, 16);
        p[24] = (byte) role;
        p[27] = (byte) name.length;
        System.arraycopy(name, 0, p, 28, name.length);
        return p;
    }

    /** Payload type 13h. */
    public static Message2 message2(byte[] p, CipherSuite suite) throws MalformedIpmiException {
        Wire.need(p, 8, "RAKP 2");
        int status = p[1] & 0xff;
        if (status != 0) {
            return new Message2(p[0] & 0xff, status, Wire.getInt(p, 4), new byte[0], new byte[0], new byte[0]);
        }
        Wire.need(p, 40 + suite.keyLength(), "RAKP 2");
        return new Message2(p[0] & 0xff, 0, Wire.getInt(p, 4), Wire.slice(p, 8, 24), Wire.slice(p, 24, 40),
                Wire.slice(p, 40, 40 + suite.keyLength()));
    }

    /** HMAC_Kuid(SIDm | SIDc | Rm | Rc | GUIDc | RoleM | ULengthM | UNameM): what RAKP 2 must carry (§13.31). */
    public static byte[] message2Code(CipherSuite suite, byte[] kuid, int consoleSid, int bmcSid, byte[] rm, byte[] rc, byte[] guid,
                                      int role, String user) {
        byte[] name = name(user);
        return Hmac.of(suite.mac(), kuid, Wire.le32(consoleSid), Wire.le32(bmcSid), rm, rc, guid,
                new byte[] {(byte) role, (byte) name.length}, name);
    }

    /** Payload type 14h, with HMAC_Kuid(Rc | SIDm | RoleM | ULengthM | UNameM) (§13.22, §13.31). */
    public static byte[] message3(int tag, int bmcSid, CipherSuite suite, byte[] kuid, byte[] rc, int consoleSid, int role, String user) {
        byte[] code = message3Code(suite, kuid, rc, consoleSid, role, user);
        byte[] p = new byte[8 + code.length];
        p[0] = (byte) tag;
        Wire.putInt(p, 4, bmcSid);
        System.arraycopy(code, 0, p, 8, code.length);
        return p;
    }

    /** Payload type 15h. */
    public static Message4 message4(byte[] p, CipherSuite suite) throws MalformedIpmiException {
        Wire.need(p, 8, "RAKP 4");
        int status = p[1] & 0xff;
        if (status != 0) {
            return new Message4(p[0] & 0xff, status, Wire.getInt(p, 4), new byte[0]);
        }
        Wire.need(p, 8 + suite.rakp4Length(), "RAKP 4");
        return new Message4(p[0] & 0xff, 0, Wire.getInt(p, 4), Wire.slice(p, 8, 8 + suite.rakp4Length()));
    }

    /** HMAC_SIK(Rm | SIDc | GUIDc), truncated: what RAKP 4 must carry (§13.28.4, §13.31). */
    public static byte[] message4Code(SessionKeys keys, byte[] rm, int bmcSid, byte[] guid) {
        CipherSuite s = keys.suite();
        return Hmac.truncated(s.mac(), s.rakp4Length(), keys.sik(), rm, Wire.le32(bmcSid), guid);
    }

    public static boolean same(byte[] expected, byte[] received) {
        return Hmac.same(expected, received);
    }

    // --- the BMC's side (the project's BMC simulator, the fuzz test) ---------------------------

    /** RAKP 1 as a BMC reads it (§13.20). */
    public record Message1(int tag, int bmcSessionId, byte[] rm, int role, String user) {
    }

    /** RAKP 3 as a BMC reads it (§13.22). */
    public record Message3(int tag, int status, int bmcSessionId, byte[] authCode) {
    }

    public static Message1 parseMessage1(byte[] p) throws MalformedIpmiException {
        Wire.need(p, 28, "RAKP 1");
        int length = p[27] & 0xff;
        if (length > 16) {
            throw new MalformedIpmiException("bad-name", "user name length " + length);
        }
        Wire.need(p, 28 + length, "RAKP 1 user name");
        return new Message1(p[0] & 0xff, Wire.getInt(p, 4), Wire.slice(p, 8, 24), p[24] & 0xff,
                new String(p, 28, length, StandardCharsets.US_ASCII));
    }

    public static byte[] message2(int tag, int status, int consoleSid, byte[] rc, byte[] guid, byte[] authCode) {
        if (status != 0) {
            return Wire.concat(new byte[] {(byte) tag, (byte) status, 0, 0}, Wire.le32(consoleSid));
        }
        return Wire.concat(new byte[] {(byte) tag, 0, 0, 0}, Wire.le32(consoleSid), rc, guid, authCode);
    }

    public static Message3 parseMessage3(byte[] p, CipherSuite suite) throws MalformedIpmiException {
        Wire.need(p, 8, "RAKP 3");
        int status = p[1] & 0xff;
        if (status != 0) {
            return new Message3(p[0] & 0xff, status, Wire.getInt(p, 4), new byte[0]);
        }
        Wire.need(p, 8 + suite.keyLength(), "RAKP 3");
        return new Message3(p[0] & 0xff, 0, Wire.getInt(p, 4), Wire.slice(p, 8, 8 + suite.keyLength()));
    }

    /** What RAKP 3 must carry, for the BMC to check. */
    public static byte[] message3Code(CipherSuite suite, byte[] kuid, byte[] rc, int consoleSid, int role, String user) {
        byte[] name = name(user);
        return Hmac.of(suite.mac(), kuid, rc, Wire.le32(consoleSid), new byte[] {(byte) role, (byte) name.length}, name);
    }

    public static byte[] message4(int tag, int status, int consoleSid, byte[] icv) {
        return Wire.concat(new byte[] {(byte) tag, (byte) status, 0, 0}, Wire.le32(consoleSid), status == 0 ? icv : new byte[0]);
    }

    /** User names are 0-16 ASCII bytes (§13.20). */
    static byte[] name(String user) {
        byte[] name = user.getBytes(StandardCharsets.US_ASCII);
        if (name.length > 16) {
            throw new IllegalArgumentException("IPMI user names are at most 16 bytes");
        }
        return name;
    }

}
