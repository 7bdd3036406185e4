package io.pxewings.bmc.codec;

import java.nio.charset.StandardCharsets;

/**
 * The keys of one RMCP+ session (IPMI v2.0 §13.31, §13.32): the Session Integrity Key
 * SIK = HMAC_Kg(Rm | Rc | RoleM | ULengthM | UNameM), with Kg the BMC key or, when none is set,
 * the user's password (Kuid); K1 = HMAC_SIK(20 × 01h) keys the integrity codes, K2 =
 * HMAC_SIK(20 × 02h) the AES-128 cipher (its first 16 bytes). The constants stay 20 bytes with
 * SHA-256 (as ipmitool and the BMCs do).
 */
public record SessionKeys(CipherSuite suite, byte[] sik, byte[] k1, byte[] k2) {

    private static final byte[] CONST_1 = filled(0x01);
    private static final byte[] CONST_2 = filled(0x02);

    /**
     * @param kuid the user's password (at most 20 bytes, §13.31), also Kg when {@code kg} is null
     * @param kg   the BMC key (K_G), or null
     * @param role the role byte sent in RAKP 1 (privilege level and lookup bit)
     */
    public static SessionKeys derive(CipherSuite suite, byte[] kuid, byte[] kg, byte[] rm, byte[] rc, int role, String user) {
        byte[] name = user.getBytes(StandardCharsets.US_ASCII);
        byte[] sik = Hmac.of(suite.mac(), kg != null ? kg : kuid, rm, rc, new byte[] {(byte) role, (byte) name.length}, name);
        return new SessionKeys(suite, sik, Hmac.of(suite.mac(), sik, CONST_1), Hmac.of(suite.mac(), sik, CONST_2));
    }

    /** The AES-CBC-128 key: K2's first 128 bits (§13.29). */
    byte[] aesKey() {
        return java.util.Arrays.copyOf(k2, 16);
    }

    private static byte[] filled(int b) {
        byte[] c = new byte[20];
        java.util.Arrays.fill(c, (byte) b);
        return c;
    }

    @Override
    public String toString() {
        return "SessionKeys[" + suite + ", not shown]";
    }
}
