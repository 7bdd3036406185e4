package io.pxewings.tftp.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pxewings.tftp.codec.TftpPacket;

class NegotiationTest {

    static final Negotiation.Limits LIMITS = new Negotiation.Limits(1468, 64, Duration.ofSeconds(1));

    static TftpPacket.Request rrq(String... pairs) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            o.put(pairs[i], pairs[i + 1]);
        }
        return new TftpPacket.Request(TftpPacket.RRQ, "f", "octet", o);
    }

    @Test
    void withoutOptionsItIsPlainRfc1350() throws Exception {
        Negotiation n = Negotiation.of(rrq(), 1000, LIMITS);
        assertThat(n.blksize()).isEqualTo(512);
        assertThat(n.windowsize()).isEqualTo(1);
        assertThat(n.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(n.oack()).as("no OACK: DATA 1 comes first").isEmpty();
    }

    @Test
    void acceptedOptionsComeBackInTheClientsOrderAndCase() throws Exception {
        Negotiation n = Negotiation.of(rrq("TSIZE", "0", "blksize", "1428", "windowsize", "16", "timeout", "3", "x-vendor", "1"),
                123_456, LIMITS);
        assertThat(n.oack()).containsExactly(Map.entry("TSIZE", "123456"), Map.entry("blksize", "1428"),
                Map.entry("windowsize", "16"), Map.entry("timeout", "3"));
        assertThat(n.blksize()).isEqualTo(1428);
        assertThat(n.windowsize()).isEqualTo(16);
        assertThat(n.timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void legalValuesAboveTheServersLimitsAreLowered() throws Exception {
        Negotiation n = Negotiation.of(rrq("blksize", "65464", "windowsize", "100"), 10, LIMITS);
        assertThat(n.oack()).containsExactly(Map.entry("blksize", "1468"), Map.entry("windowsize", "64"));
    }

    @Test
    void valuesOutsideTheirRfcRangeAreRefused() {
        for (String[] bad : new String[][] {{"blksize", "0"}, {"blksize", "7"}, {"blksize", "70000"}, {"windowsize", "0"},
                {"timeout", "0"}, {"timeout", "256"}, {"timeout", "-1"}, {"tsize", "big"}, {"blksize", "99999999999999999999"},
                {"blksize", " "}}) {
            assertThatThrownBy(() -> Negotiation.of(rrq(bad), 10, LIMITS)).as(bad[0] + "=" + bad[1])
                    .isInstanceOf(Negotiation.Refused.class).hasMessageContaining(bad[0]);
        }
    }
}
