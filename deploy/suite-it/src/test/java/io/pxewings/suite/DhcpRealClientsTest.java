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
        if (server != null) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (net != null) {
            net.close();
        }
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
                "-Dwings.dhcp.subnets.lab.lease-time=PT10M"));
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

    /** Writes a hook script that dumps its environment when the client is bound. */
    static Path hook(String name, String condition) throws Exception {
        return hook(name, condition, "");
    }

    /** The same, also running {@code action} when bound (e.g. configuring the address). */
    static Path hook(String name, String condition, String action) throws Exception {
        Path out = WORK.resolve(name + ".env");
        Files.deleteIfExists(out);
        Path script = WORK.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\nif " + condition + "; then env > " + out + "; " + action + "\nfi\nexit 0\n");
        script.toFile().setExecutable(true);
        return script;
    }

    static Map<String, String> env(String name) throws Exception {
        Map<String, String> m = new HashMap<>();
        Path f = WORK.resolve(name + ".env");
        assertThat(f).as(name + " hook output").exists();
        for (String line : Files.readAllLines(f)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    @Test
    @Order(1)
    void busyboxUdhcpcGetsALeaseWithItsOptions() throws Exception {
        net.setClientMac("52:54:00:88:00:01");
        Path script = hook("udhcpc", "[ \"$1\" = bound ]");
        Repo.Result r = net.inClient(Duration.ofSeconds(60),
                "busybox udhcpc -i wc0 -f -q -n -t 5 -T 2 -x hostname:node-one -s " + script);
        assertThat(r.exitCode()).as(r.output()).isZero();
        Map<String, String> e = env("udhcpc");
        assertThat(e).containsEntry("ip", "10.88.0.100").containsEntry("subnet", "255.255.255.0")
                .containsEntry("router", "10.88.0.1").containsEntry("serverid", "10.88.0.1")
                .containsEntry("lease", "600").containsEntry("dns", "10.88.0.1");
        JsonNode l = lease("52:54:00:88:00:01");
        assertThat(l.get("state").asText()).isEqualTo("bound");
        assertThat(l.get("hostname").asText()).isEqualTo("node-one");
    }

    @Test
    @Order(2)
    void iscDhclientGetsALeaseAndReleasesIt() throws Exception {
        net.setClientMac("52:54:00:88:00:02");
        // The address is configured so that dhclient -r can unicast its RELEASE to the server.
        Path script = hook("dhclient", "[ \"$reason\" = BOUND ]", "ip addr add $new_ip_address/24 dev $interface");
        String files = "-lf " + WORK.resolve("dhclient.leases") + " -pf " + WORK.resolve("dhclient.pid");
        Repo.Result r = net.inClient(Duration.ofSeconds(60), "dhclient -1 -v -sf " + script + " " + files + " wc0");
        assertThat(r.exitCode()).as(r.output()).isZero();
        Map<String, String> e = env("dhclient");
        assertThat(e).containsEntry("new_ip_address", "10.88.0.101").containsEntry("new_routers", "10.88.0.1")
                .containsEntry("new_subnet_mask", "255.255.255.0").containsEntry("new_dhcp_lease_time", "600");
        assertThat(lease("52:54:00:88:00:02").get("state").asText()).isEqualTo("bound");

        Repo.Result release = net.inClient(Duration.ofSeconds(60), "dhclient -r -v -sf " + script + " " + files + " wc0");
        assertThat(release.exitCode()).as(release.output()).isZero();
        Instant deadline = Instant.now().plusSeconds(10);
        while (!lease("52:54:00:88:00:02").get("state").asText().equals("released") && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(lease("52:54:00:88:00:02").get("state").asText()).isEqualTo("released");
    }

    @Test
    @Order(3)
    void dhcpcdGetsALease() throws Exception {
        net.setClientMac("52:54:00:88:00:03");
        Path script = hook("dhcpcd", "[ \"$reason\" = BOUND ]");
        // dhcpcd keeps leases in /var/lib/dhcpcd and would INIT-REBOOT from a lease another run left
        // there (reason REBOOT, not BOUND). `ip netns exec` runs in a private mount namespace, so a
        // bind mount over its state directory keeps this run's state under target/ and starts clean.
        Path state = Files.createDirectories(WORK.resolve("dhcpcd-state"));
        Repo.Result r = net.inClient(Duration.ofSeconds(60),
                "mount --bind " + state + " /var/lib/dhcpcd && dhcpcd -f /dev/null -4 -1 -B -t 20 -c " + script + " wc0");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(WORK.resolve("dhcpcd.env")).as("dhcpcd ran no BOUND hook:\n" + r.output()).exists();
        Map<String, String> e = env("dhcpcd");
        assertThat(e).containsEntry("new_ip_address", "10.88.0.102").containsEntry("new_routers", "10.88.0.1");
        assertThat(lease("52:54:00:88:00:03").get("state").asText()).isEqualTo("bound");
    }

    @Test
    @Order(4)
    void aReturningClientGetsItsAddressBack() throws Exception {
        net.setClientMac("52:54:00:88:00:01");
        Path script = hook("udhcpc-again", "[ \"$1\" = bound ]");
        Repo.Result r = net.inClient(Duration.ofSeconds(60), "busybox udhcpc -i wc0 -f -q -n -t 5 -T 2 -s " + script);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(env("udhcpc-again")).containsEntry("ip", "10.88.0.100");
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
