package io.pxewings.bmc.vault;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import io.pxewings.bmc.bmc.BmcCredentials;

/**
 * One credential sealed with AES-256-GCM (NIST SP 800-38D): a random 96-bit nonce per seal, the
 * reference as associated data (a ciphertext moved to another row fails to open), a 128-bit tag.
 * The plaintext is password and K_G, length-prefixed; the user name is kept beside it in clear.
 */
public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static Sealed seal(String ref, BmcCredentials c, String keyId, SecretKey key) {
        byte[] password = c.password();
        byte[] kg = c.kg() == null ? new byte[0] : c.kg();
        ByteBuffer plain = ByteBuffer.allocate(8 + password.length + kg.length);
        plain.putInt(password.length).put(password).putInt(c.kg() == null ? -1 : kg.length).put(kg);
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(ref.getBytes(StandardCharsets.UTF_8));
            return new Sealed(keyId, nonce, cipher.doFinal(plain.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        } finally {
            java.util.Arrays.fill(plain.array(), (byte) 0);
            java.util.Arrays.fill(password, (byte) 0);
        }
    }

    BmcCredentials open(String ref, String user, SecretKey key) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(ref.getBytes(StandardCharsets.UTF_8));
        ByteBuffer plain = ByteBuffer.wrap(cipher.doFinal(ciphertext));
        byte[] password = new byte[plain.getInt()];
        plain.get(password);
        int kgLength = plain.getInt();
        byte[] kg = null;
        if (kgLength >= 0) {
            kg = new byte[kgLength];
            plain.get(kg);
        }
        return new BmcCredentials(user, password, kg);
    }

    @Override
    public String toString() {
        return "Sealed[" + keyId + "]";
    }
}
