package io.pxewings.httpboot.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class AgentTokensTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String MAC = "52:54:00:12:34:56";
    static final String BOOT = "AAAAAAAAAAAAAAAA";
    static final Instant MINTED = Instant.ofEpochSecond(1_799_996_400L);
    static final Instant EXPIRY = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void theSignatureIsHmacSha256OverVersionSiteMacBootMintingAndExpiry() {
        // Golden value from another implementation:
        // printf 'v2|lab|52:54:00:12:34:56|AAAAAAAAAAAAAAAA|1799996400|1800000000' \
        //   | openssl dgst -sha256 -hmac "$SECRET" -binary | base64 | tr '+/' '-_' | tr -d '='
        assertThat(new AgentTokens(SECRET, "lab").issue(MAC, BOOT, MINTED, EXPIRY))
                .isEqualTo("v2.AAAAAAAAAAAAAAAA.1799996400.1800000000.8b17dEeKjRJ9yyNDDdT2swnDHUMuYDmrs_tsS5isH3U");
    }

    @Test
    void aTokenIsValidOnlyForItsMachineSiteAndTimeAndCarriesItsBoot() {
        AgentTokens tokens = new AgentTokens(SECRET, "lab");
        String token = tokens.issue(MAC, BOOT, MINTED, EXPIRY);
        Instant before = EXPIRY.minusSeconds(1);
        AgentTokens.Checked ok = tokens.check(token, MAC, before);
        assertThat(ok.verdict()).isEqualTo(AgentTokens.Verdict.VALID);
        assertThat(ok.claims()).isEqualTo(new AgentTokens.Claims(BOOT, MINTED, EXPIRY));
        assertThat(tokens.verify(token, "52:54:00:12:34:57", before)).isEqualTo(AgentTokens.Verdict.WRONG_MACHINE);
        assertThat(new AgentTokens(SECRET, "other-site").verify(token, MAC, before)).isEqualTo(AgentTokens.Verdict.WRONG_MACHINE);
        assertThat(new AgentTokens(SECRET.replace('0', 'x'), "lab").verify(token, MAC, before))
                .isEqualTo(AgentTokens.Verdict.WRONG_MACHINE);
        assertThat(tokens.verify(token, MAC, EXPIRY)).isEqualTo(AgentTokens.Verdict.EXPIRED);
        // a later expiry, or another boot, written into the token breaks its signature
        assertThat(tokens.verify(token.replace("1800000000", "1900000000"), MAC, before)).isEqualTo(AgentTokens.Verdict.WRONG_MACHINE);
        assertThat(tokens.verify(token.replace(BOOT, "BBBBBBBBBBBBBBBB"), MAC, before)).isEqualTo(AgentTokens.Verdict.WRONG_MACHINE);
        assertThat(AgentTokens.newBootId()).matches("[A-Za-z0-9_-]{16}").isNotEqualTo(AgentTokens.newBootId());
    }

    @Test
    void malformedTokensAreToldApart() {
        AgentTokens tokens = new AgentTokens(SECRET, "lab");
        for (String bad : new String[] {null, "", "v2", "v2.x.y", "v1.1800000000.abc", "v2.AAAAAAAAAAAAAAAA.1.1800000000",
                "v2.short.1.2.abc", "v2.AAAAAAAAAAAAAAAA.x.1800000000.abc"}) {
            assertThat(tokens.verify(bad, MAC, EXPIRY.minusSeconds(5))).as(String.valueOf(bad)).isEqualTo(AgentTokens.Verdict.MALFORMED);
        }
    }
}
