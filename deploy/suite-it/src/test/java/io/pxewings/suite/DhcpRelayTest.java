package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client on one network, dhcp-service on another, ISC dhcrelay between them: three network
 * namespaces made by the test. The server picks the subnet by giaddr and answers the relay.
 */
class DhcpRelayTest {

    static final Path WORK = Path.of("target/dhcp-relay").toAbsolutePath();
    static final long PID = ProcessHandle.current().pid();
    static final String CLIENT = "wrl-c-" + PID;
    static final String RELAY = "wrl-r-" + PID;
    static final String SERVER = "wrl-s-" + PID;
    static Process server;
    static Process relay;

    @BeforeAll
    static void network() throws Exception {
        Files.createDirectories(WORK);
        cleanup();
        for (String ns : List.of(CLIENT, RELAY, SERVER)) {
            TestNetwork.sh("ip netns add " + ns + " && ip -n " + ns + " link set lo up");
        }
        // client wc0 <-> wr0 relay wr1 <-> ws0 server
        TestNetwork.sh("ip link add wc0 netns " + CLIENT + " type veth peer name wr0 netns " + RELAY);
        TestNetwork.sh("ip link add wr1 netns " + RELAY + " type veth peer name ws0 netns " + SERVER);
        TestNetwork.sh("ip -n " + RELAY + " addr add 10.87.0.1/24 dev wr0 && ip -n " + RELAY + " addr add 10.86.0.2/24 dev wr1");
        TestNetwork.sh("ip -n " + SERVER + " addr add 10.86.0.1/24 dev ws0");
        for (String[] link : new String[][] {{CLIENT, "wc0"}, {RELAY, "wr0"}, {RELAY, "wr1"}, {SERVER, "ws0"}}) {
            TestNetwork.sh("ip -n " + link[0] + " link set " + link[1] + " up");
        }
        // Replies go to the relay's downstream address (giaddr), reached through the relay.
        TestNetwork.sh("ip -n " + SERVER + " route add 10.87.0.0/24 via 10.86.0.2 dev ws0");
        TestNetwork.sh("ip -n " + CLIENT + " link set wc0 address 52:54:00:87:00:01");

        List<String> java = new ArrayList<>(List.of("ip", "netns", "exec", SERVER));
        List<String> service = new ArrayList<>(Repo.service("dhcp-service"));
        service.addAll(service.indexOf("-jar"), List.of("-Dwings.site=it", "-Dquarkus.http.port=18082",
                "-Dkafka.bootstrap.servers=127.0.0.1:1", "-Dwings.dhcp.bind-address=0.0.0.0", "-Dwings.dhcp.port=67",
                "-Dwings.dhcp.server-address=10.86.0.1", "-Dwings.dhcp.data-dir=" + WORK.resolve("leases"),
                "-Dwings.dhcp.subnets.servers.network=10.86.0.0/24",
                "-Dwings.dhcp.subnets.servers.pools=10.86.0.100-10.86.0.110",
                "-Dwings.dhcp.subnets.rack.network=10.87.0.0/24",
                "-Dwings.dhcp.subnets.rack.pools=10.87.0.50-10.87.0.60",
                "-Dwings.dhcp.subnets.rack.router=10.87.0.1"));
        java.addAll(service);
        server = new ProcessBuilder(java).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve("dhcp-service.log").toFile())).start();
        Instant deadline = Instant.now().plusSeconds(90);
        while (run(SERVER, "curl -sf 127.0.0.1:18082/api/v1/dhcp/leases").exitCode() != 0) {
            assertThat(server.isAlive()).as("dhcp-service running").isTrue();
            assertThat(Instant.now()).as("dhcp-service up in time").isBefore(deadline);
            Thread.sleep(300);
        }
        // -d: foreground; -4; -id: downstream (clients), -iu: upstream (server).
        relay = new ProcessBuilder("ip", "netns", "exec", RELAY, "dhcrelay", "-d", "-4", "-id", "wr0", "-iu", "wr1",
                "10.86.0.1").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve("dhcrelay.log").toFile())).start();
        Thread.sleep(1000);
        assertThat(relay.isAlive()).as("dhcrelay running: " + Files.readString(WORK.resolve("dhcrelay.log"))).isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : new Process[] {relay, server}) {
            if (p != null) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        cleanup();
    }

    static void cleanup() throws Exception {
        for (String ns : List.of(CLIENT, RELAY, SERVER)) {
            Repo.run(Map.of(), Duration.ofSeconds(30), List.of("sh", "-c",
                    "ip netns pids " + ns + " 2>/dev/null | xargs -r kill -9; ip netns del " + ns + " 2>/dev/null; true"));
        }
    }

    static Repo.Result run(String ns, String command) throws Exception {
        return Repo.run(Map.of(), Duration.ofSeconds(60), List.of("ip", "netns", "exec", ns, "sh", "-c", command));
    }

    @Test
    void aClientBehindARelayGetsAnAddressOfTheRelaysNetwork() throws Exception {
        Path out = WORK.resolve("udhcpc.env");
        Files.deleteIfExists(out);
        Path script = WORK.resolve("udhcpc.sh");
        Files.writeString(script, "#!/bin/sh\nif [ \"$1\" = bound ]; then env > " + out + "; fi\nexit 0\n");
        script.toFile().setExecutable(true);

        Repo.Result r = run(CLIENT, "busybox udhcpc -i wc0 -f -q -n -t 5 -T 2 -s " + script);

        assertThat(r.exitCode()).as(r.output() + "\ndhcrelay: " + Files.readString(WORK.resolve("dhcrelay.log"))).isZero();
        String env = Files.readString(out);
        assertThat(env).contains("ip=10.87.0.50").contains("router=10.87.0.1").contains("serverid=10.86.0.1");
        Repo.Result leases = run(SERVER, "curl -sf 127.0.0.1:18082/api/v1/dhcp/leases");
        assertThat(leases.output()).contains("\"mac\":\"52:54:00:87:00:01\"").contains("\"subnet\":\"rack\"")
                .contains("\"state\":\"bound\"");
    }
}
