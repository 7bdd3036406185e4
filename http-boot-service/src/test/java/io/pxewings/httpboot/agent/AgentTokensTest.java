package io.pxewings.httpboot.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class AgentTokensTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String MAC = "52:54:00:12:34:56";
    static final Instant EXPIRY = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void theSignatureIsHmacSha256OverVersionSiteMacAndExpiry() {
        // Golden value from another implementation:
        // printf 'v1|lab|52:54:00:12:34:56|1800000000' | openssl dgst -sha256 -hmac "$SECRET" -binary | base64 (url-safe, unpadded)
        assertThat(new AgentTokens(SECRET, "lab").issue(MAC, EXPIRY))
                .isEqualTo("v1.1800000000.eVT2-Rk6O09s6C0q22b7GTdBh_XpB0hjkBih5uBXIak");
    }

    @Test
    void aTokenIsValidOnlyForItsMachineSiteAndTime() {
        AgentTokens tokens = new AgentTokens(SECRET, "lab");
        String token = tokens.issue(MAC, EXPIRY);
        Instant before = EXPIRY.minusSeconds(1);
        assertThat(tokens.verify(token, MAC, before)).isEqualTo(AgentTokens.Verdict.VALID);
        assertThat(tokens.verify(token, "52:54:00:12:34:57", before)).isEqualTo(AgentTokens.Verdict.WRONG_MACHINE);
        assertThat(new AgentTokens(SECRET, "other-site").verify(token, MAC, before)).isEqualTo(AgentTokens.Verdict.WRONG_MACHINE);
        assertThat(new AgentTokens(SECRET.replace('0', 'x'), "lab").verify(token, MAC, before))
                .isEqualTo(AgentTokens.Verdict.WRONG_MACHINE);
        assertThat(tokens.verify(token, MAC, EXPIRY)).isEqualTo(AgentTokens.Verdict.EXPIRED);
        // a later expiry written into the token breaks its signature
        assertThat(tokens.verify(token.replace("1800000000", "1900000000"), MAC, before))
                .isEqualTo(AgentTokens.Verdict.WRONG_MACHINE);
    }

    @Test
    void malformedTokensAreToldApart() {
        AgentTokens tokens = new AgentTokens(SECRET, "lab");
        for (String bad : new String[] {null, "", "v1", "v1.x.y", "v2.1800000000.abc", "v1.1800000000", "v1..abc"}) {
            assertThat(tokens.verify(bad, MAC, EXPIRY.minusSeconds(5))).as(String.valueOf(bad))
                    .isEqualTo(AgentTokens.Verdict.MALFORMED);
        }
    }
}
