package io.pxewings.bmc.ipmi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * One UDP socket for every IPMI session of this instance: a BMC answers to the port it was asked
 * from, so answers are told apart by the BMC's address. One receiver thread hands each datagram
 * to the session of its source; a datagram from an address no session waits on is counted and
 * dropped. Thousands of BMCs cost one socket and one thread, not one of each per BMC.
 */
public final class UdpTransport implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(UdpTransport.class);

    private final DatagramChannel channel;
    private final Map<InetSocketAddress, Consumer<byte[]>> receivers = new ConcurrentHashMap<>();
    private final Thread receiver;
    private final AtomicLong strays = new AtomicLong();
    private volatile boolean closed;

    /** Binds {@code bind} (address and port 0 for any free port). */
    public UdpTransport(InetSocketAddress bind) throws IOException {
        channel = DatagramChannel.open();
        channel.bind(bind);
        receiver = new Thread(this::receive, "ipmi-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Datagrams from {@code bmc} go to {@code handler} (on the receiver thread: it must not block). */
    public void register(InetSocketAddress bmc, Consumer<byte[]> handler) {
        receivers.put(bmc, handler);
    }

    public void unregister(InetSocketAddress bmc) {
        receivers.remove(bmc);
    }

    public void send(InetSocketAddress bmc, byte[] datagram) throws IOException {
        channel.send(ByteBuffer.wrap(datagram), bmc);
    }

    /** Datagrams that came from no BMC a session waits on. */
    public long strays() {
        return strays.get();
    }

    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        while (!closed) {
            try {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                buffer.flip();
                byte[] data = new byte[buffer.remaining()];
                buffer.get(data);
                Consumer<byte[]> handler = from instanceof InetSocketAddress a ? receivers.get(a) : null;
                if (handler == null) {
                    strays.incrementAndGet();
                    continue;
                }
                try {
                    handler.accept(data);
                } catch (RuntimeException e) {
                    // A session's bug must never stop every other session's answers.
                    LOG.errorf(e, "IPMI session for %s failed on a datagram", from);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warnf("IPMI socket receive: %s", e.toString());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }
}
