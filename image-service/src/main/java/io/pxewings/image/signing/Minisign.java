package io.pxewings.image.signing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * minisign's formats (https://jedisct1.github.io/minisign/, "Signature format"), so operators sign
 * images with the {@code minisign} tool they have: Ed25519 keys and signatures, the public key
 * {@code "Ed" || key id (8, little-endian) || key (32)}, a signature {@code "ED" || key id ||
 * Ed25519(BLAKE2b-512(file))} ("Ed": over the file itself, the legacy form), then a trusted
 * comment and a global signature, Ed25519 over {@code signature || trusted comment}. Ed25519 is
 * the JDK's (RFC 8032); BLAKE2b (RFC 7693) is Bouncy Castle's.
 */
public final class Minisign {

    /** A public key: its id (as minisign prints it) and the JDK key. */
    public record PublicKeyInfo(String keyId, byte[] keyIdBytes, PublicKey key) {
    }

    /** A parsed {@code .minisig}. */
    public record SignatureInfo(boolean prehashed, byte[] keyIdBytes, byte[] signature, String trustedComment, byte[] globalSignature) {
        public String keyId() {
            return keyIdHex(keyIdBytes);
        }
    }

    /** A signature or key that is not minisign's. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private Minisign() {
    }

    /** A public key: the base64 line of a {@code minisign.pub}, or the whole file. */
    public static PublicKeyInfo publicKey(String text) throws Malformed {
        String line = lastNonComment(text);
        byte[] b = base64(line, "public key");
        if (b.length != 42 || b[0] != 'E' || b[1] != 'd') {
            throw new Malformed("not a minisign Ed25519 public key (" + b.length + " bytes)");
        }
        byte[] id = Arrays.copyOfRange(b, 2, 10);
        return new PublicKeyInfo(keyIdHex(id), id, ed25519(Arrays.copyOfRange(b, 10, 42)));
    }

    /** A {@code .minisig}: untrusted comment, signature, trusted comment, global signature. */
    public static SignatureInfo signature(String text) throws Malformed {
        String[] lines = text.replace("\r", "").split("\n");
        if (lines.length < 4 || !lines[0].startsWith("untrusted comment:") || !lines[2].startsWith("trusted comment: ")) {
            throw new Malformed("not a minisign signature (four lines: untrusted comment, signature, trusted comment, global signature)");
        }
        byte[] sig = base64(lines[1].trim(), "signature");
        if (sig.length != 74 || sig[0] != 'E' || (sig[1] != 'd' && sig[1] != 'D')) {
            throw new Malformed("not a minisign Ed25519 signature (" + sig.length + " bytes)");
        }
        byte[] global = base64(lines[3].trim(), "global signature");
        if (global.length != 64) {
            throw new Malformed("the global signature has " + global.length + " bytes, not 64");
        }
        return new SignatureInfo(sig[1] == 'D', Arrays.copyOfRange(sig, 2, 10), Arrays.copyOfRange(sig, 10, 74),
                lines[2].substring("trusted comment: ".length()), global);
    }

    /** A BLAKE2b-512 hasher for a prehashed signature's message, fed as the file is read. */
    public static Blake2bDigest blake2b512() {
        return new Blake2bDigest(512);
    }

    public static byte[] finish(Blake2bDigest d) {
        byte[] out = new byte[64];
        d.doFinal(out, 0);
        return out;
    }

    /**
     * True when {@code key} made {@code sig} over a file whose BLAKE2b-512 is {@code prehash}
     * (or, legacy, whose bytes are {@code message}), and its global signature holds.
     */
    public static boolean verify(PublicKeyInfo key, SignatureInfo sig, byte[] prehash, byte[] message) throws GeneralSecurityException {
        if (!Arrays.equals(key.keyIdBytes(), sig.keyIdBytes())) {
            return false;
        }
        byte[] signed = sig.prehashed() ? prehash : message;
        if (signed == null || !ed25519Verify(key.key(), signed, sig.signature())) {
            return false;
        }
        byte[] comment = sig.trustedComment().getBytes(StandardCharsets.UTF_8);
        byte[] global = new byte[64 + comment.length];
        System.arraycopy(sig.signature(), 0, global, 0, 64);
        System.arraycopy(comment, 0, global, 64, comment.length);
        return ed25519Verify(key.key(), global, sig.globalSignature());
    }

    static boolean ed25519Verify(PublicKey key, byte[] message, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(message);
        return s.verify(signature);
    }

    /** RFC 8032 §5.1.2: the encoded point is y little-endian, the top bit of the last byte x's parity. */
    static PublicKey ed25519(byte[] raw) throws Malformed {
        byte[] b = raw.clone();
        boolean xOdd = (b[31] & 0x80) != 0;
        b[31] &= 0x7f;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = b[31 - i];
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519,
                    new EdECPoint(xOdd, new BigInteger(1, be))));
        } catch (GeneralSecurityException e) {
            throw new Malformed("not an Ed25519 public key: " + e.getMessage());
        }
    }

    /** minisign prints a key id as the little-endian 64-bit number in upper-case hex. */
    static String keyIdHex(byte[] id) {
        byte[] be = new byte[8];
        for (int i = 0; i < 8; i++) {
            be[i] = id[7 - i];
        }
        return HexFormat.of().withUpperCase().formatHex(be);
    }

    private static String lastNonComment(String text) {
        String line = "";
        for (String l : text.replace("\r", "").split("\n")) {
            if (!l.isBlank() && !l.startsWith("untrusted comment:")) {
                line = l.trim();
            }
        }
        return line;
    }

    private static byte[] base64(String s, String what) throws Malformed {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new Malformed(what + ": not base64");
        }
    }
}
