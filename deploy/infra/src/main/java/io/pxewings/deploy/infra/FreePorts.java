package io.pxewings.deploy.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback TCP ports for test infrastructure, so tests never collide with ./wings up.
 *
 * <p>Taken from 61000-65499, above Linux's ephemeral range (ip_local_port_range, 32768-60999 by
 * default): a port the kernel picked with bind(0) is free only until the next outgoing connection
 * (a Kafka client, a JDBC pool) is given it, and a launcher that checks its ports first then refuses
 * to start ("port 34909 in use", seen in CI). Ports handed out once are not handed out again by this
 * JVM.
 */
public final class FreePorts {

    static final int FIRST = 61000;
    static final int COUNT = 4500;
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        int start = ThreadLocalRandom.current().nextInt(COUNT);
        for (int i = 0; i < COUNT; i++) {
            int port = FIRST + (start + i) % COUNT;
            if (!GIVEN.contains(port) && free(port) && GIVEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port in " + FIRST + "-" + (FIRST + COUNT - 1));
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
