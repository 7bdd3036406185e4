package io.pxewings.tftp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * A transfer closes its socket from inside the socket's own read handler (the last ACK ends it).
 * Netty's epoll datagram read loop does not check that the channel is still open before it reads
 * again: a close there frees the descriptor number while the loop goes on to call {@code recvmsg}
 * on it. Usually that is EBADF; if another thread has reused the number in between, the loop
 * reads that other socket (stealing its datagram, or blocking the event loop for ever on a
 * blocking one, which hung a shutdown once). These tests fail on any read after such a close.
 */
class TransferSocketTest {

    static Vertx vertx;
    /** One loop, polling before it sleeps as the service's do. */
    static TransferLoops loops;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
        assertThat(vertx.isNativeTransportEnabled()).as("epoll, as the service runs: %s", vertx.unavailableNativeTransportCause())
                .isTrue();
        loops = new TransferLoops(1, true, 50_000);
    }

    @AfterAll
    static void stop() throws Exception {
        loops.shutdown();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static void open(java.util.function.BiConsumer<InetSocketAddress, byte[]> onDatagram,
                     java.util.function.Consumer<Throwable> onError, CompletableFuture<TransferSocket> opened,
                     java.util.function.Consumer<TransferSocket> also) {
        io.netty.channel.EventLoop loop = loops.next();
        loop.execute(() -> TransferSocket.open(vertx, loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), onDatagram,
                onError, s -> {
                    also.accept(s);
                    opened.complete(s);
                }, opened::completeExceptionally));
    }

    @Test
    void closingInsideTheReadHandlerNeverReadsTheClosedDescriptorAgain() throws Exception {
        for (int round = 0; round < 20; round++) {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            AtomicInteger received = new AtomicInteger();
            CompletableFuture<TransferSocket> opened = new CompletableFuture<>();
            TransferSocket[] self = new TransferSocket[1];
            open((sender, bytes) -> {
                received.incrementAndGet();
                self[0].close();   // as a transfer does on its last ACK
            }, errors::add, opened, s -> self[0] = s);
            TransferSocket socket = opened.get(10, TimeUnit.SECONDS);
            try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                // Two datagrams queued before the loop wakes: the loop has a reason to read on after the first.
                for (int i = 0; i < 2; i++) {
                    client.send(new DatagramPacket(new byte[] {0, 4, 0, 1}, 4, InetAddress.getLoopbackAddress(), socket.port()));
                }
            }
            awaitClosed(socket);
            assertThat(received).as("round %d: the handler ran once and closed the socket", round).hasValue(1);
            assertThat(errors).as("round %d: nothing read the descriptor after the close", round).isEmpty();
        }
    }

    @Test
    void aClosedSocketReleasesItsPort() throws Exception {
        CompletableFuture<TransferSocket> opened = new CompletableFuture<>();
        open((sender, bytes) -> { }, e -> { }, opened, s -> { });
        TransferSocket socket = opened.get(10, TimeUnit.SECONDS);
        int port = socket.port();
        loops.next().execute(socket::close);
        awaitClosed(socket);
        try (DatagramSocket again = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private static void awaitClosed(TransferSocket socket) throws InterruptedException {
        for (int i = 0; i < 200 && socket.isOpen(); i++) {
            Thread.sleep(10);
        }
        assertThat(socket.isOpen()).as("closed").isFalse();
        Thread.sleep(50);   // the read loop that called close has finished by now
    }
}
