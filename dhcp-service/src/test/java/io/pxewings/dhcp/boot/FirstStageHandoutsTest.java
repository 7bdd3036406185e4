package io.pxewings.dhcp.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class FirstStageHandoutsTest {

    static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
    final FirstStageHandouts handouts = new FirstStageHandouts(Duration.ofSeconds(60));

    @Test
    void theWindowRunsFromTheExchangesFirstOffer() {
        handouts.handedOut("52:54:00:00:00:01", 7, T0);
        handouts.handedOut("52:54:00:00:00:01", 7, T0.plusSeconds(30));   // its REQUEST: the window does not restart
        assertThat(handouts.runningStage("52:54:00:00:00:01", 8, T0.plusSeconds(60))).contains(Duration.ofSeconds(60));
        assertThat(handouts.runningStage("52:54:00:00:00:01", 8, T0.plusSeconds(61))).as("expired").isEmpty();
        assertThat(handouts.runningStage("52:54:00:00:00:01", 7, T0.plusSeconds(5))).as("the same exchange").isEmpty();
        assertThat(handouts.recent("52:54:00:00:00:01", T0.plusSeconds(10))).contains(Duration.ofSeconds(10));
    }

    @Test
    void aFloodOfMachinesIsPurgedOnceExpired() {
        for (int i = 0; i < 10_000; i++) {
            handouts.handedOut(String.format("52:54:00:%02x:%02x:%02x", i >> 16, (i >> 8) & 255, i & 255), i, T0);
        }
        assertThat(handouts.size()).isEqualTo(10_000);
        handouts.handedOut("52:54:01:00:00:00", 1, T0.plusSeconds(61));
        assertThat(handouts.size()).as("the expired ones went").isEqualTo(1);
    }

    @Test
    void liveHandoutsPastTheBoundArePurgedAtMostOnceASecond() {
        for (int i = 0; i < 10_000; i++) {
            handouts.handedOut(String.format("52:54:00:%02x:%02x:%02x", i >> 16, (i >> 8) & 255, i & 255), i, T0);
        }
        handouts.handedOut("52:54:01:00:00:01", 1, T0.plusMillis(59_900));   // a purge that finds nothing expired
        handouts.handedOut("52:54:01:00:00:02", 2, T0.plusMillis(60_500));
        assertThat(handouts.size()).as("within the second after a purge, no scan").isEqualTo(10_002);
        handouts.handedOut("52:54:01:00:00:03", 3, T0.plusSeconds(61));
        assertThat(handouts.size()).as("a second later the expired ones go").isEqualTo(3);
    }

    @Test
    void aWindowMustBePositive() {
        assertThatThrownBy(() -> new FirstStageHandouts(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
