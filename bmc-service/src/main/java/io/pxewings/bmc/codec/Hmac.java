package io.pxewings.bmc.codec;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HMACs of RAKP and of session integrity, from the JDK's own providers. */
final class Hmac {

    private Hmac() {
    }

    static byte[] of(String algorithm, byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            // An empty key (a user with no password) is still a key to HMAC: padded with zeros (RFC 2104 §2).
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    static byte[] truncated(String algorithm, int length, byte[] key, byte[]... parts) {
        return Arrays.copyOf(of(algorithm, key, parts), length);
    }

    /** Constant time, so a forged code is not found byte by byte. */
    static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
