package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
 * proxyDHCP beside the site's own DHCP server: dnsmasq hands out addresses, dhcp-service in proxy
 * mode gives PXE clients their boot file, both on port 67 in the same namespace. The PXE client
 * is real firmware: QEMU's iPXE option ROM, on a tap in the namespace's bridge; a plain DHCP client
 * (udhcpc) on the same bridge must hear nothing from the proxy.
 */
class DhcpProxyBesideDnsmasqTest {

    static final Path WORK = Path.of("target/dhcp-proxy").toAbsolutePath();
    static final String LAN = "wpx-l-" + ProcessHandle.current().pid();
    static final String HOST = "wpx-h-" + ProcessHandle.current().pid();
    static final List<Process> STARTED = new ArrayList<>();

    @BeforeAll
    static void site() throws Exception {
        Files.createDirectories(WORK);
        cleanup();
        TestNetwork.sh("ip netns add " + LAN + " && ip -n " + LAN + " link set lo up");
        TestNetwork.sh("ip netns add " + HOST + " && ip -n " + HOST + " link set lo up");
        TestNetwork.sh("ip -n " + LAN + " link add br0 type bridge stp_state 0 forward_delay 0");
        TestNetwork.sh("ip -n " + LAN + " addr add 10.85.0.1/24 dev br0");
        TestNetwork.sh("ip -n " + LAN + " tuntap add dev tap0 mode tap && ip -n " + LAN + " link set tap0 master br0");
        TestNetwork.sh("ip link add wb1 netns " + LAN + " type veth peer name wc0 netns " + HOST);
        TestNetwork.sh("ip -n " + LAN + " link set wb1 master br0");
        for (String dev : List.of("tap0", "wb1", "br0")) {
            TestNetwork.sh("ip -n " + LAN + " link set " + dev + " up");
        }
        TestNetwork.sh("ip -n " + HOST + " link set wc0 address 52:54:00:85:00:99 && ip -n " + HOST + " link set wc0 up");
        TestNetwork.sh("ip -n " + LAN + " route add 255.255.255.255/32 dev br0");

        start("dnsmasq.log", List.of("ip", "netns", "exec", LAN, "dnsmasq", "--no-daemon", "--port=0", "--interface=br0",
                "--bind-interfaces", "--dhcp-range=10.85.0.100,10.85.0.150,255.255.255.0,10m", "--log-dhcp",
                "--dhcp-leasefile=" + WORK.resolve("dnsmasq.leases"), "--pid-file=" + WORK.resolve("dnsmasq.pid")));
        List<String> service = new ArrayList<>(Repo.service("dhcp-service"));
        service.addAll(service.indexOf("-jar"), List.of("-Dwings.site=it", "-Dquarkus.http.port=18083",
                "-Dkafka.bootstrap.servers=127.0.0.1:1", "-Dwings.dhcp.mode=proxy",
                "-Dwings.dhcp.bind-address=0.0.0.0", "-Dwings.dhcp.port=67", "-Dwings.dhcp.server-address=10.85.0.1",
                "-Dwings.dhcp.data-dir=" + WORK.resolve("leases"), "-Dwings.dhcp.boot.http-base=http://10.85.0.1:8080"));
        List<String> inLan = new ArrayList<>(List.of("ip", "netns", "exec", LAN));
        inLan.addAll(service);
        Process proxy = start("dhcp-service.log", inLan);
        Instant deadline = Instant.now().plusSeconds(90);
        while (inLan(Duration.ofSeconds(10), "curl -sf 127.0.0.1:18083/q/health/live").exitCode() != 0) {
            assertThat(proxy.isAlive()).as("dhcp-service running").isTrue();
            assertThat(Instant.now()).as("dhcp-service up in time").isBefore(deadline);
            Thread.sleep(300);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : STARTED) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        cleanup();
    }

    static Process start(String log, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve(log).toFile())).start();
        STARTED.add(p);
        return p;
    }

    static void cleanup() throws Exception {
        for (String ns : List.of(LAN, HOST)) {
            Repo.run(Map.of(), Duration.ofSeconds(30), List.of("sh", "-c",
                    "ip netns pids " + ns + " 2>/dev/null | xargs -r kill -9; ip netns del " + ns + " 2>/dev/null; true"));
        }
    }

    static Repo.Result inLan(Duration timeout, String command) throws Exception {
        return Repo.run(Map.of(), timeout, List.of("ip", "netns", "exec", LAN, "sh", "-c", command));
    }

    static String metrics() throws Exception {
        return inLan(Duration.ofSeconds(10), "curl -sf 127.0.0.1:18083/q/metrics").output();
    }

    @Test
    void realIpxeTakesItsAddressFromDnsmasqAndItsBootFileFromTheProxy() throws Exception {
        Path serial = WORK.resolve("serial.log");
        Files.deleteIfExists(serial);
        Process qemu = start("qemu.log", List.of("ip", "netns", "exec", LAN, "timeout", "60",
                "qemu-system-x86_64", "-accel", "tcg", "-m", "256", "-display", "none", "-nodefaults",
                "-serial", "file:" + serial, "-device", "sga",
                "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no",
                "-device", "virtio-net-pci,netdev=n0,mac=52:54:00:85:00:01,bootindex=1", "-boot", "n", "-no-reboot"));
        // Stop the machine as soon as iPXE has shown where it boots from (about 5 s under TCG).
        String console = "";
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && !console.contains("Filename:") && qemu.isAlive()) {
            Thread.sleep(250);
            console = Files.exists(serial) ? new String(Files.readAllBytes(serial), StandardCharsets.ISO_8859_1) : "";
        }
        Thread.sleep(500);
        console = new String(Files.readAllBytes(serial), StandardCharsets.ISO_8859_1);
        qemu.descendants().forEach(ProcessHandle::destroyForcibly);
        qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        assertThat(console).as("iPXE console").contains("Filename: http://10.85.0.1:8080/boot.ipxe?mac=52:54:00:85:00:01");
        assertThat(console).containsPattern("net0: 10\\.85\\.0\\.1[0-5]\\d/255\\.255\\.255\\.0");
        assertThat(Files.readString(WORK.resolve("dnsmasq.leases"))).contains("52:54:00:85:00:01");
        assertThat(metrics()).contains("wings_dhcp_outcomes_total{outcome=\"offer\"}");
    }

    @Test
    void aPlainDhcpClientHearsOnlyDnsmasq() throws Exception {
        Repo.Result r = Repo.run(Map.of(), Duration.ofSeconds(60), List.of("ip", "netns", "exec", HOST,
                "busybox", "udhcpc", "-i", "wc0", "-f", "-q", "-n", "-t", "5", "-T", "2", "-s", "/bin/true"));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(Files.readString(WORK.resolve("dnsmasq.leases"))).contains("52:54:00:85:00:99");
        assertThat(metrics()).contains("wings_dhcp_outcomes_total{outcome=\"proxy-not-pxe\"}");
    }
}
