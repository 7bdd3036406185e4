package io.pxewings.tftp.server;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * An event loop's select strategy that polls for a short while before it sleeps. A lock-step
 * transfer sends a block and waits for the ACK; if the loop is asleep by then, the ACK has to wake
 * its thread (an inter-processor interrupt and a context switch, about half of each block's round
 * trip here). Polling for the length of a LAN round trip after the last event lets the ACK find the
 * thread awake. The spin is bounded: an idle loop sleeps after {@code spinNanos}, so an idle
 * server costs nothing and a slow client costs at most one spin per block.
 */
final class SpinThenSleep implements SelectStrategy {

    private final long spinNanos;
    /** When the loop last found nothing to do, or -1 while it has work. */
    private long idleSince = -1;

    SpinThenSleep(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    static SelectStrategyFactory factory(long spinNanos) {
        return spinNanos > 0 ? () -> new SpinThenSleep(spinNanos) : io.netty.channel.DefaultSelectStrategyFactory.INSTANCE;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        int ready = selectNow.get();
        if (ready > 0 || hasTasks) {
            idleSince = -1;
            return ready;   // process what is ready and run the tasks
        }
        long now = System.nanoTime();
        if (idleSince < 0) {
            idleSince = now;
        }
        if (now - idleSince < spinNanos) {
            Thread.onSpinWait();
            return SelectStrategy.CONTINUE;
        }
        idleSince = -1;
        return SelectStrategy.SELECT;   // sleep until an event or the next timer
    }
}
