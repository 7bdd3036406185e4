package io.pxewings.httpboot.agent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-machine agent tokens: {@code v1.<expiry>.<signature>}, where the signature is
 * HMAC-SHA256 (RFC 2104) with the site secret over the version, site, MAC and expiry. The token
 * travels on the RAM-only OS's kernel command line and authenticates every agent call: a token
 * signed for one MAC or site fails for another, and an expired one fails. Stateless, so every
 * instance of a site that shares the secret accepts it; nothing to store or replicate.
 */
public final class AgentTokens {

    /** Why a token was refused; the API answers 401 for a missing or malformed one and 403 for the rest. */
    public enum Verdict { VALID, MALFORMED, EXPIRED, WRONG_MACHINE }

    private static final String VERSION = "v1";
    private final SecretKeySpec key;
    private final String site;

    public AgentTokens(String secret, String site) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.site = site;
    }

    public String issue(String mac, Instant expires) {
        long expiry = expires.getEpochSecond();
        return VERSION + "." + expiry + "." + sign(mac, expiry);
    }

    public Verdict verify(String token, String mac, Instant now) {
        if (token == null) {
            return Verdict.MALFORMED;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            return Verdict.MALFORMED;
        }
        long expiry;
        try {
            expiry = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return Verdict.MALFORMED;
        }
        byte[] expected = sign(mac, expiry).getBytes(StandardCharsets.US_ASCII);
        // Constant-time comparison: the time taken must not tell how much of a guess was right.
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.WRONG_MACHINE;
        }
        return now.getEpochSecond() < expiry ? Verdict.VALID : Verdict.EXPIRED;
    }

    private String sign(String mac, long expiry) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            byte[] sig = hmac.doFinal((VERSION + "|" + site + "|" + mac + "|" + expiry).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
