package io.pxewings.httpboot.agent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-boot agent tokens: {@code v2.<boot>.<minted>.<expiry>.<signature>}, the signature
 * HMAC-SHA256 (RFC 2104) with the site secret over the version, site, MAC, boot, minting time and
 * expiry. A token is minted into the RAM-only OS's kernel command line for one boot of one
 * machine (a random boot id) and authenticates every agent call of that boot: a token signed for
 * another MAC or site fails, an expired one fails, and {@link MachineBoots} refuses one of a boot
 * that is no longer the machine's. Stateless to verify: every instance of a site with the secret
 * accepts it.
 *
 * <p>First-boot tokens ({@link #firstBoot}) have the same shape with their own version tag,
 * {@code fb1}, which the signature covers: an agent token is never a first-boot token, nor the
 * other way round. One is minted into a machine's NoCloud seed for the boot that wrote it, and the
 * installed system's {@code phone_home} presents it once.
 */
public final class AgentTokens {

    /** Why a token was refused; the API answers 401 for a missing or malformed one and 403 for the rest. */
    public enum Verdict { VALID, MALFORMED, EXPIRED, WRONG_MACHINE }

    /** What a valid token says. */
    public record Claims(String bootId, Instant minted, Instant expires) {
    }

    /** A verdict, with the claims when it is valid. */
    public record Checked(Verdict verdict, Claims claims) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;
    private final String site;
    private final String version;

    /** The agent's tokens (version tag {@code v2}). */
    public AgentTokens(String secret, String site) {
        this(secret, site, "v2");
    }

    private AgentTokens(String secret, String site, String version) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.site = site;
        this.version = version;
    }

    /** First-boot tokens (version tag {@code fb1}), for the installed system's phone_home. */
    public static AgentTokens firstBoot(String secret, String site) {
        return new AgentTokens(secret, site, "fb1");
    }

    /** A new boot id: 96 random bits, base64url (no dots). */
    public static String newBootId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public String issue(String mac, String bootId, Instant minted, Instant expires) {
        long m = minted.getEpochSecond();
        long e = expires.getEpochSecond();
        return version + "." + bootId + "." + m + "." + e + "." + sign(mac, bootId, m, e);
    }

    public Checked check(String token, String mac, Instant now) {
        if (token == null) {
            return new Checked(Verdict.MALFORMED, null);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 5 || !parts[0].equals(version) || !parts[1].matches("[A-Za-z0-9_-]{16}")) {
            return new Checked(Verdict.MALFORMED, null);
        }
        long minted;
        long expiry;
        try {
            minted = Long.parseLong(parts[2]);
            expiry = Long.parseLong(parts[3]);
        } catch (NumberFormatException e) {
            return new Checked(Verdict.MALFORMED, null);
        }
        byte[] expected = sign(mac, parts[1], minted, expiry).getBytes(StandardCharsets.US_ASCII);
        // Constant-time comparison: the time taken must not tell how much of a guess was right.
        if (!MessageDigest.isEqual(expected, parts[4].getBytes(StandardCharsets.US_ASCII))) {
            return new Checked(Verdict.WRONG_MACHINE, null);
        }
        if (now.getEpochSecond() >= expiry) {
            return new Checked(Verdict.EXPIRED, null);
        }
        return new Checked(Verdict.VALID, new Claims(parts[1], Instant.ofEpochSecond(minted), Instant.ofEpochSecond(expiry)));
    }

    /** Only the verdict (tests, and callers that need no claims). */
    public Verdict verify(String token, String mac, Instant now) {
        return check(token, mac, now).verdict();
    }

    private String sign(String mac, String bootId, long minted, long expiry) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            byte[] sig = hmac.doFinal((version + "|" + site + "|" + mac + "|" + bootId + "|" + minted + "|" + expiry)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
