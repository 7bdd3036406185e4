package io.pxewings.bmc.codec;

/**
 * The two cipher suites this client speaks (IPMI v2.0 §22.15.2, Table 22-19, Table 22-20), 17
 * preferred. Suite 0 (no authentication) and every suite without integrity or confidentiality is
 * never offered, and an Open Session answer naming other algorithms than those asked is refused.
 *
 * @param id            the suite number
 * @param authAlgorithm RAKP authentication algorithm (§13.28): 01h RAKP-HMAC-SHA1, 03h RAKP-HMAC-SHA256
 * @param integrityAlgorithm 01h HMAC-SHA1-96 (RFC 2404), 04h HMAC-SHA256-128 (RFC 4868)
 * @param confidentialityAlgorithm 01h AES-CBC-128 (§13.29)
 * @param mac           the JCA name of the HMAC for all of it
 * @param keyLength     HMAC output length: RAKP 2/3 codes, SIK, K1 and K2
 * @param rakp4Length   the RAKP 4 integrity check value's length (§13.28.4: truncated)
 * @param authCodeLength the session packets' integrity trailer length
 */
public record CipherSuite(int id, int authAlgorithm, int integrityAlgorithm, int confidentialityAlgorithm, String mac,
                          int keyLength, int rakp4Length, int authCodeLength) {

    public static final CipherSuite SUITE_17 = new CipherSuite(17, 0x03, 0x04, 0x01, "HmacSHA256", 32, 16, 16);
    public static final CipherSuite SUITE_3 = new CipherSuite(3, 0x01, 0x01, 0x01, "HmacSHA1", 20, 12, 12);

    /** The suite of {@code id}, or an error for every suite this client does not speak (0 above all). */
    public static CipherSuite of(int id) {
        return switch (id) {
            case 17 -> SUITE_17;
            case 3 -> SUITE_3;
            default -> throw new IllegalArgumentException("cipher suite " + id + " is not supported (3 and 17 are; never 0)");
        };
    }

    @Override
    public String toString() {
        return "suite " + id;
    }
}
