package io.pxewings.tftp.server;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

/**
 * The event loops transfers run on, apart from Vert.x's: their select strategy spins briefly
 * before it sleeps ({@link SpinThenSleep}), which no other part of the service should pay for. A
 * transfer stays on the loop it starts on, so it needs no locks. Epoll when Vert.x uses the native
 * transport (the transfer channels come from Vert.x's transport and must match the loop), else
 * NIO without the spin.
 */
final class TransferLoops {

    private final EventLoopGroup group;
    private final boolean spinning;

    TransferLoops(int loops, boolean epoll, long spinNanos) {
        ThreadFactory threads = new ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "tftp-transfer-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }
        };
        spinning = epoll && spinNanos > 0;
        group = epoll ? new EpollEventLoopGroup(loops, threads, SpinThenSleep.factory(spinNanos))
                : new NioEventLoopGroup(loops, threads);
    }

    EventLoop next() {
        return group.next();
    }

    boolean spinning() {
        return spinning;
    }

    void shutdown() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
