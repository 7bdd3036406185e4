package io.pxewings.tftp.server;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

/**
 * The UDP socket of one transfer, on the Netty event loop of the Vert.x context that opens it.
 *
 * <p>Why not Vert.x's {@code DatagramSocket}: it takes the destination as a host string and runs
 * it through the address resolver on every send, which a profile of a windowed transfer showed as
 * a large share of the server's time. A transfer always answers one resolved address, so this
 * socket writes Netty datagrams to an {@link InetSocketAddress} directly, flushes a whole window
 * at once, and schedules its timer on the same loop (every call of a transfer happens on one
 * thread, so the session needs no locks).
 */
final class TransferSocket {

    private final DatagramChannel channel;

    private TransferSocket(DatagramChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens a socket on an ephemeral port of {@code bind}, on {@code loop} (a channel of Vert.x's
     * transport: epoll or NIO, as the loop).
     * {@code onDatagram} gets each datagram's sender and bytes, {@code onError} an error the socket
     * reports (e.g. an ICMP port unreachable surfacing on it); {@code onOpen} gets the socket, or
     * {@code onFailure} the failure to bind it. All run on {@code loop}.
     */
    static void open(Vertx vertx, EventLoop loop, InetSocketAddress bind, BiConsumer<InetSocketAddress, byte[]> onDatagram,
                     Consumer<Throwable> onError, Consumer<TransferSocket> onOpen, Consumer<Throwable> onFailure) {
        InternetProtocolFamily family = bind.getAddress() instanceof java.net.Inet6Address
                ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
        DatagramChannel channel = ((VertxInternal) vertx).transport().datagramChannel(family);
        channel.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                onDatagram.accept(packet.sender(), ByteBufUtil.getBytes(packet.content()));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                onError.accept(cause);
            }
        });
        loop.register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                onFailure.accept(registered.cause());
                return;
            }
            channel.bind(bind).addListener(bound -> {
                if (bound.isSuccess()) {
                    onOpen.accept(new TransferSocket(channel));
                } else {
                    channel.close();
                    onFailure.accept(bound.cause());
                }
            });
        });
    }

    /** Queues a datagram; nothing leaves before {@link #flush()}. */
    void write(byte[] packet, InetSocketAddress to) {
        channel.write(new DatagramPacket(Unpooled.wrappedBuffer(packet), to), channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    void send(byte[] packet, InetSocketAddress to) {
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(packet), to), channel.voidPromise());
    }

    ScheduledFuture<?> schedule(Runnable task, long millis) {
        return channel.eventLoop().schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Closes the socket once the event loop is out of the socket's read loop. A transfer ends
     * inside its read handler (the last ACK), and Netty's epoll datagram read loop calls
     * {@code recvmsg} again without checking that the channel is still open: a close there frees
     * the descriptor number while the loop reads it once more. If another thread reused the number
     * in between, that read took the other socket's datagram, or blocked this event loop for good
     * on a blocking socket (it hung a shutdown once). Turning auto-read off ends the read loop at
     * its next check; the close runs as the loop's next task.
     */
    void close() {
        channel.config().setAutoRead(false);
        channel.eventLoop().execute(channel::close);
    }
}
