package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * dhcp-service, packaged and running inside a network namespace, serving real DHCP clients from
 * Debian (busybox udhcpc, ISC dhclient, dhcpcd) in a second namespace over a veth pair. Kafka is
 * unreachable from the namespace on purpose: DHCP must serve without it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DhcpRealClientsTest {

    static final Path WORK = Path.of("target/dhcp-real-clients").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();
    /** How long a client event (bound, a renewal at T1 = 10 s, a release) may take at most. */
    static final Duration EVENT_WAIT = Duration.ofSeconds(40);
    static TestNetwork net;
    static Process server;

    @BeforeAll
    static void startServer() throws Exception {
        Repo.deleteTree(WORK);
        Files.createDirectories(WORK);
        net = new TestNetwork("wdhcp", "10.88.0.1/24");
        server = startDhcpService();
    }

    @AfterAll
    static void stop() throws Exception {
        TestNetwork.close(net, server);
    }

    static Process startDhcpService() throws Exception {
        List<String> java = new ArrayList<>(Repo.service("dhcp-service"));
        int jar = java.indexOf("-jar");
        java.addAll(jar, List.of(
                "-Dwings.site=it", "-Dwings.instance=ns-1",
                "-Dquarkus.http.port=18081",
                "-Dkafka.bootstrap.servers=127.0.0.1:1",
                "-Dwings.dhcp.bind-address=0.0.0.0", "-Dwings.dhcp.port=67",
                "-Dwings.dhcp.server-address=10.88.0.1",
                "-Dwings.dhcp.data-dir=" + WORK.resolve("leases"),
                "-Dwings.dhcp.subnets.lab.network=10.88.0.0/24",
                "-Dwings.dhcp.subnets.lab.pools=10.88.0.100-10.88.0.150",
                "-Dwings.dhcp.subnets.lab.router=10.88.0.1",
                "-Dwings.dhcp.subnets.lab.dns=10.88.0.1",
                "-Dwings.dhcp.subnets.lab.lease-time=PT10M",
                "-Dwings.dhcp.subnets.lab.min-lease-time=PT20S"));
        Process p = new ProcessBuilder(net.serverCommand(java)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve("dhcp-service.log").toFile())).start();
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new AssertionError("dhcp-service exited:\n" + Files.readString(WORK.resolve("dhcp-service.log")));
            }
            if (net.inServer(Duration.ofSeconds(10), "curl -sf 127.0.0.1:18081/api/v1/dhcp/leases").exitCode() == 0) {
                return p;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("dhcp-service not up in 90 s:\n" + Files.readString(WORK.resolve("dhcp-service.log")));
    }

    static JsonNode leases() throws Exception {
        Repo.Result r = net.inServer(Duration.ofSeconds(10), "curl -sf 127.0.0.1:18081/api/v1/dhcp/leases");
        assertThat(r.exitCode()).as(r.output()).isZero();
        return JSON.readTree(r.output());
    }

    static JsonNode lease(String mac) throws Exception {
        for (JsonNode l : leases()) {
            if (l.get("mac").asText().equals(mac)) {
                return l;
            }
        }
        throw new AssertionError("no lease for " + mac + " in " + leases());
    }

    /**
     * Writes a hook script that, at every client event, dumps its environment to
     * {@code NAME-REASON.env} (REASON: the value of {@code reason}, e.g. BOUND or renew), and runs
     * {@code onBound} when the client has bound (e.g. configuring the address so that the client
     * can unicast its renewals and release to the server).
     */
    static Path hook(String name, String reason, String boundReason, String onBound) throws Exception {
        Path script = WORK.resolve(name + ".sh");
        String out = WORK.resolve(name).toString();
        Files.writeString(script, "#!/bin/sh\nr=" + reason + "\nenv > " + out + "-$r.tmp && mv " + out + "-$r.tmp " + out
                + "-$r.env\nif [ \"$r\" = " + boundReason + " ]; then " + (onBound.isEmpty() ? ":" : onBound) + "; fi\nexit 0\n");
        script.toFile().setExecutable(true);
        return script;
    }

    /** The environment of the hook's first {@code event} (e.g. "udhcpc-bound"), waiting for it. */
    static Map<String, String> awaitEnv(String event, Process client) throws Exception {
        Path f = WORK.resolve(event + ".env");
        Instant deadline = Instant.now().plus(EVENT_WAIT);
        while (!Files.exists(f) && Instant.now().isBefore(deadline) && (client == null || client.isAlive())) {
            Thread.sleep(100);
        }
        assertThat(f).as(event + " hook output; the client's log:\n" + clientLog()).exists();
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(f)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    static String clientLog() throws Exception {
        Path log = WORK.resolve("client.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits until the server's record of {@code mac} is in {@code state} and changed after {@code after}. */
    static JsonNode awaitLease(String mac, String state, Instant after) throws Exception {
        Instant deadline = Instant.now().plus(EVENT_WAIT);
        JsonNode l = lease(mac);
        while (!(l.get("state").asText().equals(state) && Instant.parse(l.get("updatedAt").asText()).isAfter(after))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            l = lease(mac);
        }
        assertThat(l.get("state").asText()).as(mac + " lease " + l).isEqualTo(state);
        assertThat(Instant.parse(l.get("updatedAt").asText())).as(mac + " lease " + l).isAfter(after);
        return l;
    }

    static Process startClient(String command) throws Exception {
        return net.startInClient(command, WORK.resolve("client.log"));
    }

    static void signal(Process client, String signal) throws Exception {
        Repo.Result r = Repo.run(Map.of(), Duration.ofSeconds(10), List.of("kill", "-" + signal, Long.toString(client.pid())));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    static void stopClient(Process client) throws Exception {
        if (client != null && client.isAlive()) {
            client.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The life of a 20 s lease that a dhclient-style client (hook variables {@code new_*}, reasons
     * BOUND and RENEW) asked for: bound with the expected options, renewed at T1 on the server's
     * record, then released by {@code releaseCommand}. Returns the bound hook's environment.
     */
    static Map<String, String> boundRenewedReleased(String name, String mac, String ip, Process client, String releaseCommand)
            throws Exception {
        Map<String, String> e = awaitEnv(name + "-BOUND", client);
        assertThat(e).containsEntry("new_ip_address", ip).containsEntry("new_routers", "10.88.0.1")
                .containsEntry("new_dhcp_lease_time", "20");
        JsonNode bound = awaitLease(mac, "bound", Instant.EPOCH);

        assertThat(awaitEnv(name + "-RENEW", client)).containsEntry("new_ip_address", ip);
        awaitLease(mac, "bound", Instant.parse(bound.get("updatedAt").asText()));

        Repo.Result release = net.inClient(Duration.ofSeconds(60), releaseCommand);
        assertThat(release.exitCode()).as(release.output()).isZero();
        assertThat(awaitLease(mac, "released", Instant.EPOCH).get("ip").asText()).isEqualTo(ip);
        return e;
    }

    @Test
    @Order(1)
    void busyboxUdhcpcGetsALeaseRenewsAndReleases() throws Exception {
        String mac = "52:54:00:88:00:01";
        net.setClientMac(mac);
        Path script = hook("udhcpc", "$1", "bound", "ip addr add $ip/$mask dev $interface");
        Process udhcpc = startClient("exec busybox udhcpc -i wc0 -f -t 5 -T 2 -x hostname:node-one -s " + script);
        try {
            Map<String, String> e = awaitEnv("udhcpc-bound", udhcpc);
            assertThat(e).containsEntry("ip", "10.88.0.100").containsEntry("subnet", "255.255.255.0")
                    .containsEntry("router", "10.88.0.1").containsEntry("serverid", "10.88.0.1")
                    .containsEntry("lease", "600").containsEntry("dns", "10.88.0.1");
            JsonNode bound = awaitLease(mac, "bound", Instant.EPOCH);
            assertThat(bound.get("hostname").asText()).isEqualTo("node-one");

            // SIGUSR1: renew now (a unicast REQUEST with ciaddr, RFC 2131 §4.4.5 RENEWING).
            signal(udhcpc, "USR1");
            assertThat(awaitEnv("udhcpc-renew", udhcpc)).containsEntry("ip", "10.88.0.100");
            awaitLease(mac, "bound", Instant.parse(bound.get("updatedAt").asText()));

            // SIGUSR2: release (DHCPRELEASE, RFC 2131 §4.4.6).
            signal(udhcpc, "USR2");
            assertThat(awaitLease(mac, "released", Instant.EPOCH).get("ip").asText()).isEqualTo("10.88.0.100");
        } finally {
            stopClient(udhcpc);
        }
    }

    @Test
    @Order(2)
    void iscDhclientGetsAShortLeaseItAskedForRenewsAtT1AndReleases() throws Exception {
        String mac = "52:54:00:88:00:02";
        net.setClientMac(mac);
        Path script = hook("dhclient", "$reason", "BOUND", "ip addr add $new_ip_address/24 dev $interface");
        // Option 51: the subnet honours requests down to its min-lease-time (20 s), so T1 comes in 10 s.
        Path conf = Files.writeString(WORK.resolve("dhclient.conf"), "send dhcp-lease-time 20;\n");
        String files = "-cf " + conf + " -sf " + script + " -lf " + WORK.resolve("dhclient.leases") + " -pf "
                + WORK.resolve("dhclient.pid");
        Process dhclient = startClient("exec dhclient -d -v " + files + " wc0");
        try {
            // dhclient -r stops the running client (by its pid file) and releases its lease.
            Map<String, String> e = boundRenewedReleased("dhclient", mac, "10.88.0.101", dhclient, "dhclient -r -v " + files + " wc0");
            assertThat(e).containsEntry("new_subnet_mask", "255.255.255.0");
        } finally {
            stopClient(dhclient);
        }
    }

    @Test
    @Order(3)
    void dhcpcdGetsAShortLeaseItAskedForRenewsAtT1AndReleases() throws Exception {
        String mac = "52:54:00:88:00:03";
        net.setClientMac(mac);
        Path script = hook("dhcpcd", "$reason", "BOUND", "");
        // dhcpcd keeps leases in /var/lib/dhcpcd and would INIT-REBOOT from a lease another run left
        // there (reason REBOOT, not BOUND). `ip netns exec` runs in a private mount namespace, so a
        // bind mount over its state directory keeps this run's state under target/ and starts clean.
        Path state = Files.createDirectories(WORK.resolve("dhcpcd-state"));
        Process dhcpcd = startClient("mount --bind " + state + " /var/lib/dhcpcd && exec dhcpcd -f /dev/null -4 -B -l 20 -t 20 -c "
                + script + " wc0");
        try {
            // dhcpcd -k asks the running dhcpcd (over its control socket) to release and stop.
            boundRenewedReleased("dhcpcd", mac, "10.88.0.102", dhcpcd, "dhcpcd -4 -k wc0");
        } finally {
            stopClient(dhcpcd);
        }
    }

    @Test
    @Order(4)
    void aReturningClientGetsItsAddressBack() throws Exception {
        net.setClientMac("52:54:00:88:00:01");
        Path script = hook("udhcpc-again", "$1", "bound", "");
        Repo.Result r = net.inClient(Duration.ofSeconds(60), "busybox udhcpc -i wc0 -f -q -n -t 5 -T 2 -s " + script);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(awaitEnv("udhcpc-again-bound", null)).as("its released address comes back to it").containsEntry("ip", "10.88.0.100");
    }

    @Test
    @Order(5)
    void killMinusNineKeepsEveryAcknowledgedLease() throws Exception {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        server = startDhcpService();
        assertThat(lease("52:54:00:88:00:01").get("ip").asText()).isEqualTo("10.88.0.100");
        assertThat(lease("52:54:00:88:00:01").get("state").asText()).isEqualTo("bound");
        assertThat(lease("52:54:00:88:00:03").get("ip").asText()).isEqualTo("10.88.0.102");
        assertThat(lease("52:54:00:88:00:02").get("state").asText()).isEqualTo("released");
        assertThat(new File(WORK.resolve("leases/leases.journal").toString())).exists();
    }
}
