package io.pxewings.deploy.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback TCP ports for test infrastructure, so tests never collide with ./wings up.
 *
 * <p>Taken from 61000-65499, above Linux's ephemeral range (ip_local_port_range, 32768-60999 by
 * default): a port the kernel picked with bind(0) is free only until the next outgoing connection
 * (a Kafka client, a JDBC pool) is given it, and a launcher that checks its ports first then refuses
 * to start ("port 34909 in use", seen in CI). Ports handed out once are not handed out again by this
 * JVM, nor by another test JVM while this one lives: each is reserved by an exclusive lock on a file
 * of its own under {@link #LOCKS}, held until the JVM exits (the kernel drops it then, even after a
 * kill -9). `./wings test` builds two modules at once, and two JVMs that each found a port free could
 * otherwise both hand it out before either bound it.
 */
public final class FreePorts {

    static final int FIRST = 61000;
    static final int COUNT = 4500;
    /** Shared by every test JVM of the machine, whatever its java.io.tmpdir (each module has its own). */
    static final Path LOCKS = Path.of("/tmp/pxewings-test-ports");
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();
    /** The reservations' open channels: a lock lives as long as its channel. */
    private static final List<FileChannel> HELD = new CopyOnWriteArrayList<>();

    private FreePorts() {
    }

    public static int next() {
        int start = ThreadLocalRandom.current().nextInt(COUNT);
        for (int i = 0; i < COUNT; i++) {
            int port = FIRST + (start + i) % COUNT;
            if (!GIVEN.contains(port) && GIVEN.add(port)) {
                if (reserved(port) && free(port)) {
                    return port;
                }
            }
        }
        throw new IllegalStateException("no free loopback port in " + FIRST + "-" + (FIRST + COUNT - 1));
    }

    /** True once this JVM holds the port's lock file; false while another JVM holds it. */
    private static boolean reserved(int port) {
        try {
            Files.createDirectories(LOCKS);
            FileChannel channel = FileChannel.open(LOCKS.resolve(port + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                channel.close();
                return false;
            }
            HELD.add(channel);
            return true;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    /** Free for TCP and UDP alike: some callers give the port to a DHCP or TFTP service. */
    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
             java.net.DatagramSocket d = new java.net.DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
