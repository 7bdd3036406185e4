package io.pxewings.bmc.codec;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session layer of IPMI over LAN, after the RMCP header (IPMI v2.0 §13.6, Table 13-8).
 *
 * <ul>
 * <li>IPMI v1.5 format, authentication type 00h, session 0: only for Get Channel Authentication
 * Capabilities before a session (§13.14), as every BMC accepts it.</li>
 * <li>RMCP+ (authentication type 06h): payload type with bit 7 "encrypted" and bit 6
 * "authenticated", session id, session sequence number, payload length, payload. Once a session
 * is active every IPMI payload is AES-CBC-128 encrypted (§13.29: a random IV, then the
 * ciphertext of the plaintext padded 01h 02h ... N, N) and carries an integrity trailer
 * (§13.28.4): FFh pad bytes so that the bytes from the authentication type to the next-header
 * byte are a multiple of 4, the pad length, next header 07h, and the authentication code, an
 * HMAC under K1 of those bytes, truncated to the suite's length.</li>
 * </ul>
 */
public final class SessionPacket {

    public static final int AUTH_TYPE_NONE = 0x00;
    public static final int AUTH_TYPE_RMCP_PLUS = 0x06;
    public static final int PAYLOAD_IPMI = 0x00;
    public static final int PAYLOAD_OPEN_SESSION_REQUEST = 0x10;
    public static final int PAYLOAD_OPEN_SESSION_RESPONSE = 0x11;
    public static final int PAYLOAD_RAKP_1 = 0x12;
    public static final int PAYLOAD_RAKP_2 = 0x13;
    public static final int PAYLOAD_RAKP_3 = 0x14;
    public static final int PAYLOAD_RAKP_4 = 0x15;
    static final int ENCRYPTED = 0x80;
    static final int AUTHENTICATED = 0x40;
    /** Largest payload accepted: a BMC's answers here are tens of bytes; a datagram can never exceed this. */
    static final int MAX_PAYLOAD = 1024;

    /**
     * A decoded datagram before its payload is trusted: {@link #open} checks and decrypts a secured one.
     *
     * @param authType 00h (IPMI v1.5, session-less) or 06h (RMCP+)
     */
    public record Decoded(int authType, int payloadType, boolean encrypted, boolean authenticated, int sessionId, int sequence,
                          byte[] payload, byte[] signedPart, byte[] authCode) {
    }

    private SessionPacket() {
    }

    /** A session-less IPMI v1.5 message (§13.6, authentication type none). */
    public static byte[] v15(byte[] message) {
        byte[] d = new byte[4 + 10 + message.length];
        System.arraycopy(Rmcp.header(Rmcp.CLASS_IPMI), 0, d, 0, 4);
        d[4] = AUTH_TYPE_NONE;
        // sequence 0 and session id 0 (bytes 5-12), then the message length
        d[13] = (byte) message.length;
        System.arraycopy(message, 0, d, 14, message.length);
        return d;
    }

    /** An unauthenticated RMCP+ payload outside a session: Open Session and RAKP (session id and sequence 0). */
    public static byte[] plain(int payloadType, byte[] payload) {
        byte[] d = new byte[4 + 12 + payload.length];
        System.arraycopy(Rmcp.header(Rmcp.CLASS_IPMI), 0, d, 0, 4);
        d[4] = AUTH_TYPE_RMCP_PLUS;
        d[5] = (byte) payloadType;
        d[14] = (byte) payload.length;
        d[15] = (byte) (payload.length >>> 8);
        System.arraycopy(payload, 0, d, 16, payload.length);
        return d;
    }

    /** An IPMI message inside an active session, encrypted and authenticated with {@code keys}; {@code iv} 16 random bytes. */
    public static byte[] secured(SessionKeys keys, int sessionId, int sequence, byte[] message, byte[] iv) {
        byte[] encrypted = encrypt(keys, message, iv);
        int header = 12;   // auth type .. payload length
        int signedLength = header + encrypted.length + 2;   // + pad length + next header
        int pad = (4 - signedLength % 4) % 4;
        byte[] signed = new byte[signedLength + pad];
        signed[0] = AUTH_TYPE_RMCP_PLUS;
        signed[1] = (byte) (ENCRYPTED | AUTHENTICATED | PAYLOAD_IPMI);
        Wire.putInt(signed, 2, sessionId);
        Wire.putInt(signed, 6, sequence);
        signed[10] = (byte) encrypted.length;
        signed[11] = (byte) (encrypted.length >>> 8);
        System.arraycopy(encrypted, 0, signed, 12, encrypted.length);
        int at = 12 + encrypted.length;
        Arrays.fill(signed, at, at + pad, (byte) 0xff);
        signed[at + pad] = (byte) pad;
        signed[at + pad + 1] = 0x07;
        byte[] code = Hmac.truncated(keys.suite().mac(), keys.suite().authCodeLength(), keys.k1(), signed);
        return Wire.concat(Rmcp.header(Rmcp.CLASS_IPMI), signed, code);
    }

    /** Reads the session header of an IPMI-class datagram; the payload is not yet trusted. */
    public static Decoded decode(byte[] d) throws MalformedIpmiException {
        if (Rmcp.messageClass(d) != Rmcp.CLASS_IPMI) {
            throw new MalformedIpmiException("not-ipmi", "RMCP class is not IPMI");
        }
        Wire.need(d, 5, "session header");
        int authType = d[4] & 0xff;
        if (authType == AUTH_TYPE_NONE) {
            Wire.need(d, 14, "IPMI v1.5 session header");
            int length = d[13] & 0xff;
            Wire.need(d, 14 + length, "IPMI v1.5 message");
            return new Decoded(authType, PAYLOAD_IPMI, false, false, Wire.getInt(d, 9), Wire.getInt(d, 5),
                    Wire.slice(d, 14, 14 + length), new byte[0], new byte[0]);
        }
        if (authType != AUTH_TYPE_RMCP_PLUS) {
            // MD2, MD5 and password authentication (IPMI v1.5) are never negotiated here.
            throw new MalformedIpmiException("unsupported-auth-type", "authentication type " + authType);
        }
        Wire.need(d, 16, "RMCP+ session header");
        int type = d[5] & 0xff;
        int payloadType = type & 0x3f;
        if (payloadType == 0x02) {
            throw new MalformedIpmiException("unsupported-payload", "OEM explicit payload");
        }
        int length = Wire.getShort(d, 14);
        if (length > MAX_PAYLOAD) {
            throw new MalformedIpmiException("too-long", "payload length " + length);
        }
        Wire.need(d, 16 + length, "RMCP+ payload");
        boolean authenticated = (type & AUTHENTICATED) != 0;
        byte[] signed = new byte[0];
        byte[] code = new byte[0];
        if (authenticated) {
            // The trailer: pad (FFh), pad length, next header 07h, then the code to the end.
            Wire.need(d, 16 + length + 2, "integrity trailer");
            signed = Wire.slice(d, 4, d.length);   // split by open(), which knows the code's length
        }
        return new Decoded(authType, payloadType, (type & ENCRYPTED) != 0, authenticated, Wire.getInt(d, 6), Wire.getInt(d, 10),
                Wire.slice(d, 16, 16 + length), signed, code);
    }

    /**
     * The plaintext IPMI message of a secured datagram, after checking its integrity code under K1
     * (in constant time) and its trailer, then decrypting it under K2 and checking its padding.
     * A datagram of an active session that is not both authenticated and encrypted is refused.
     */
    public static byte[] open(Decoded p, SessionKeys keys) throws MalformedIpmiException {
        if (!p.authenticated() || !p.encrypted()) {
            throw new MalformedIpmiException("not-secured", "a session packet without integrity or confidentiality");
        }
        int codeLength = keys.suite().authCodeLength();
        byte[] all = p.signedPart();
        if (all.length < 12 + p.payload().length + 2 + codeLength) {
            throw new MalformedIpmiException("truncated", "integrity trailer");
        }
        byte[] signed = Arrays.copyOf(all, all.length - codeLength);
        byte[] code = Arrays.copyOfRange(all, all.length - codeLength, all.length);
        byte[] expected = Hmac.truncated(keys.suite().mac(), codeLength, keys.k1(), signed);
        if (!Hmac.same(expected, code)) {
            throw new MalformedIpmiException("bad-auth-code", "integrity check failed");
        }
        if (signed.length % 4 != 0 || (signed[signed.length - 1] & 0xff) != 0x07) {
            throw new MalformedIpmiException("bad-trailer", "next header or alignment");
        }
        int pad = signed[signed.length - 2] & 0xff;
        if (pad > 3 || 12 + p.payload().length + pad + 2 != signed.length) {
            throw new MalformedIpmiException("bad-trailer", "integrity pad length " + pad);
        }
        return decrypt(keys, p.payload());
    }

    static byte[] encrypt(SessionKeys keys, byte[] message, byte[] iv) {
        int pad = (16 - (message.length + 1) % 16) % 16;
        byte[] plain = new byte[message.length + pad + 1];
        System.arraycopy(message, 0, plain, 0, message.length);
        for (int i = 1; i <= pad; i++) {
            plain[message.length + i - 1] = (byte) i;
        }
        plain[plain.length - 1] = (byte) pad;
        return Wire.concat(iv, aes(Cipher.ENCRYPT_MODE, keys, iv, plain));
    }

    static byte[] decrypt(SessionKeys keys, byte[] payload) throws MalformedIpmiException {
        if (payload.length < 32 || payload.length % 16 != 0) {
            throw new MalformedIpmiException("bad-ciphertext", "AES-CBC payload of " + payload.length + " bytes");
        }
        byte[] plain = aes(Cipher.DECRYPT_MODE, keys, Arrays.copyOf(payload, 16), Arrays.copyOfRange(payload, 16, payload.length));
        int pad = plain[plain.length - 1] & 0xff;
        if (pad > 15 || pad + 1 > plain.length) {
            throw new MalformedIpmiException("bad-padding", "confidentiality pad length " + pad);
        }
        for (int i = 1; i <= pad; i++) {
            if ((plain[plain.length - 1 - pad + i - 1] & 0xff) != i) {
                throw new MalformedIpmiException("bad-padding", "confidentiality pad bytes");
            }
        }
        return Arrays.copyOf(plain, plain.length - 1 - pad);
    }

    private static byte[] aes(int mode, SessionKeys keys, byte[] iv, byte[] data) {
        try {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(mode, new SecretKeySpec(keys.aesKey(), "AES"), new IvParameterSpec(iv));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC/NoPadding is part of every JDK", e);
        }
    }
}
