package io.pxewings.tftp.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.SelectStrategy;

class SpinThenSleepTest {

    @Test
    void pollsUntilTheSpinIsOverThenSleeps() throws Exception {
        long spin = 2_000_000;
        SpinThenSleep strategy = new SpinThenSleep(spin);
        int[] polls = {0};
        long start = System.nanoTime();
        int continues = 0;
        int s;
        while ((s = strategy.calculateStrategy(() -> {
            polls[0]++;
            return 0;
        }, false)) == SelectStrategy.CONTINUE) {
            continues++;
        }
        assertThat(s).isEqualTo(SelectStrategy.SELECT);
        assertThat(System.nanoTime() - start).as("slept only after the spin").isGreaterThanOrEqualTo(spin);
        assertThat(continues).isPositive();
        assertThat(polls[0]).as("every turn polled once").isEqualTo(continues + 1);
        // After sleeping, the next idle turn spins afresh.
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
    }

    @Test
    void readyEventsAndTasksAreProcessedAtOnceAndRestartTheSpin() throws Exception {
        SpinThenSleep strategy = new SpinThenSleep(1_000_000_000L);
        assertThat(strategy.calculateStrategy(() -> 3, false)).isEqualTo(3);
        assertThat(strategy.calculateStrategy(() -> 0, true)).as("tasks to run: no sleep, no spin").isZero();
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
    }

    @Test
    void noSpinIsNettysOwnStrategy() {
        assertThat(SpinThenSleep.factory(0)).isSameAs(DefaultSelectStrategyFactory.INSTANCE);
        assertThat(SpinThenSleep.factory(50_000).newSelectStrategy()).isInstanceOf(SpinThenSleep.class);
    }
}
