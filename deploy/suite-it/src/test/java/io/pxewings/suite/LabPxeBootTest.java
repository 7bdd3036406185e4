package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.testsupport.PrometheusText;

/**
 * Real firmware through the edge services: a QEMU machine (SeaBIOS and its NIC's iPXE ROM)
 * network-boots on a bridge inside a namespace this test creates, from dhcp-service (server
 * mode), http-boot-service and tftp-service running in that namespace, into the RAM-only OS,
 * whose agent reports the machine. An IPv6 router advertisement (dnsmasq, RA only) spares iPXE
 * its IPv6 autoconfiguration wait. Kafka is not part of this test (the services count and drop
 * their facts); the lab's end-to-end test adds it, the BMCs and the UEFI machine.
 */
class LabPxeBootTest {

    static final Path WORK = Path.of("target/lab-pxe").toAbsolutePath();
    static final String NS = "wl-" + ProcessHandle.current().pid();
    static final List<Process> PROCESSES = new ArrayList<>();

    @BeforeAll
    static void lab() throws Exception {
        cleanup();
        Repo.deleteTree(WORK);
        Files.createDirectories(WORK.resolve("tftp"));
        Repo.Result build = Repo.run(java.util.Map.of(), Duration.ofSeconds(600),
                List.of(Repo.ROOT.resolve("deploy/ram-os/build").toString(), WORK.resolve("files/ramos").toString()));
        assertThat(build.exitCode()).as(build.output()).isZero();

        TestNetwork.sh("ip netns add " + NS);
        TestNetwork.sh("ip -n " + NS + " link set lo up");
        TestNetwork.sh("ip -n " + NS + " link add br0 type bridge stp_state 0 forward_delay 0");
        TestNetwork.sh("ip -n " + NS + " addr add 10.77.0.1/24 dev br0");
        TestNetwork.sh("ip -n " + NS + " addr add fd77::1/64 dev br0 nodad");
        for (String tap : List.of("tap0", "tap1")) {
            TestNetwork.sh("ip -n " + NS + " tuntap add dev " + tap + " mode tap");
            TestNetwork.sh("ip -n " + NS + " link set " + tap + " master br0");
            TestNetwork.sh("ip -n " + NS + " link set " + tap + " up");
        }
        TestNetwork.sh("ip -n " + NS + " link set br0 up");
        TestNetwork.sh("ip -n " + NS + " route add 255.255.255.255/32 dev br0");

        start("dnsmasq-ra", List.of("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--port=0",
                "--interface=br0", "--bind-interfaces", "--enable-ra", "--dhcp-range=fd77::,ra-only",
                "--pid-file=" + WORK.resolve("dnsmasq.pid")));
        start("dhcp-service", service("dhcp-service", List.of("-Dquarkus.http.port=18181",
                "-Dwings.dhcp.bind-address=0.0.0.0", "-Dwings.dhcp.port=67", "-Dwings.dhcp.server-address=10.77.0.1",
                "-Dwings.dhcp.data-dir=" + WORK.resolve("leases"),
                "-Dwings.dhcp.subnets.lab.network=10.77.0.0/24", "-Dwings.dhcp.subnets.lab.pools=10.77.0.100-10.77.0.150",
                "-Dwings.dhcp.subnets.lab.router=10.77.0.1", "-Dwings.dhcp.subnets.lab.dns=10.77.0.1",
                "-Dwings.dhcp.boot.http-base=http://10.77.0.1:8080", "-Dwings.dhcp.boot.tftp-server=10.77.0.1",
                // QEMU's NIC ROM is iPXE: chainloading it boots the BIOS machine the way a vendor PXE ROM would.
                "-Dwings.dhcp.boot.ipxe-firmware=chainload")));
        start("tftp-service", service("tftp-service", List.of("-Dquarkus.http.port=18182",
                "-Dwings.tftp.bind-address=10.77.0.1", "-Dwings.tftp.port=69", "-Dwings.tftp.root=" + WORK.resolve("tftp"))));
        start("http-boot-service", service("http-boot-service", List.of("-Dquarkus.http.host=10.77.0.1",
                "-Dquarkus.http.port=8080", "-Dwings.http-boot.files-root=" + WORK.resolve("files"),
                "-Dwings.http-boot.public-url=http://10.77.0.1:8080",
                "-Dwings.http-boot.agent.secret=lab-test-secret-lab-test-secret-0123456789",
                // No broker here, so no lease facts: tokens for any source (LabLauncherTest has them bound to leases).
                "-Dwings.http-boot.agent.trust-source=any")));
        for (String url : List.of("http://127.0.0.1:18181/q/health/live", "http://127.0.0.1:18182/q/health/live",
                "http://10.77.0.1:8080/q/health/live")) {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> inLab("curl -sf -o /dev/null " + url).exitCode() == 0);
        }
    }

    @AfterAll
    static void cleanup() throws Exception {
        for (Process p : PROCESSES) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        PROCESSES.clear();
        Repo.run(java.util.Map.of(), Duration.ofSeconds(30), List.of("sh", "-c", "ip netns pids " + NS
                + " 2>/dev/null | xargs -r kill -9; ip netns del " + NS + " 2>/dev/null; true"));
    }

    @Test
    void aBiosMachinePxeBootsIntoTheRamOsAndItsAgentReportsIt() throws Exception {
        // SeaBIOS and the iPXE ROM of QEMU's NIC, chainloaded as a vendor PXE ROM would be: the ROM
        // takes undionly.kpxe by TFTP, and undionly (on the ROM's UNDI) gets the script.
        String mac = mac();
        double tftpBefore = tftpCompleted();
        double seconds = boot("bios", mac, "tap0", List.of("-device", "virtio-net-pci,netdev=n0,mac=" + mac + ",bootindex=1",
                "-device", "sga"));
        assertThat(tftpCompleted()).as("undionly.kpxe by TFTP").isGreaterThan(tftpBefore);
        assertThat(Files.readString(WORK.resolve("bios-serial.log"))).as("the first stage runs on the ROM's UNDI")
                .contains("using undionly");
        System.out.printf("[lab pxe timeline] BIOS: QEMU start to agent inventory %.1f s%n", seconds);
    }

    @Test
    void aUefiMachinePxeBootsWithItsFirmwaresOwnPxeThroughTftp() throws Exception {
        // OVMF with no option ROM on the NIC: the firmware's own PXE takes the lease, fetches
        // snponly.efi by TFTP, and that iPXE fetches the script, kernel and initrd by HTTP.
        String mac = mac();
        Path vars = WORK.resolve("OVMF_VARS_4M.fd");
        Files.copy(Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd"), vars, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        double tftpBefore = tftpCompleted();
        double seconds = boot("uefi", mac, "tap1", List.of(
                "-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
                "-drive", "if=pflash,format=raw,file=" + vars,
                "-device", "virtio-net-pci,netdev=n0,mac=" + mac + ",romfile=,bootindex=1"));
        assertThat(tftpCompleted()).as("snponly.efi by TFTP").isGreaterThan(tftpBefore);
        assertThat(Files.readString(WORK.resolve("uefi-serial.log"))).as("the RAM OS runs on UEFI").contains("efi: ");
        System.out.printf("[lab pxe timeline] UEFI: QEMU start to agent inventory %.1f s%n", seconds);
    }

    /** Powers a machine on and waits for its agent's inventory; returns the seconds it took. */
    static double boot(String name, String mac, String tap, List<String> firmware) throws Exception {
        Path disk = WORK.resolve(name + "-disk.raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(2L << 30);
        }
        Path serial = WORK.resolve(name + "-serial.log");
        double inventoriesBefore = requests("POST", "202", "/api/agent/v1/inventory");
        double scriptsBefore = requests("GET", "200", "/boot.ipxe");
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-smp", "2",
                "-display", "none", "-serial", "file:" + serial, "-no-reboot", "-nodefaults",
                "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no",
                "-drive", "file=" + disk + ",format=raw,if=virtio", "-boot", "n"));
        command.addAll(firmware);
        Instant start = Instant.now();
        Process qemu = start(name + "-qemu", command);

        Awaitility.await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250)).until(() ->
                !qemu.isAlive() || requests("POST", "202", "/api/agent/v1/inventory") > inventoriesBefore);
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        // The agent prints its console line after the server's 202 reaches it; under TCG on a
        // loaded machine that can trail the server's metric by seconds, so wait for it (bounded).
        Pattern agentLine = Pattern.compile("wings-agent: ([0-9.]+)s inventory reported");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                    !qemu.isAlive() || agentLine.matcher(consoleOf(serial)).find());
        } catch (org.awaitility.core.ConditionTimeoutException absent) {
            // Fall through: the assertion below names what is missing and prints the serial log.
        }
        String console = consoleOf(serial);
        assertThat(qemu.isAlive()).as("QEMU still running; serial log:\n" + console).isTrue();

        // The path it took: the iPXE script for its MAC, the kernel and initrd by HTTP, one bound lease.
        assertThat(requests("GET", "200", "/boot.ipxe")).as("iPXE script served").isGreaterThan(scriptsBefore);
        String metrics = inLab("curl -s http://10.77.0.1:8080/q/metrics").output();
        assertThat(PrometheusText.sum(metrics, "wings_http_boot_file_requests_total", "status", "200"))
                .as("kernel and initrd served:\n" + metrics).isGreaterThanOrEqualTo(2);
        String leases = inLab("curl -s http://127.0.0.1:18181/api/v1/dhcp/leases").output();
        assertThat(leases).as(leases).containsPattern("\"mac\":\"" + mac + "\"[^}]*\"state\":\"bound\"");
        Matcher agent = agentLine.matcher(console);
        assertThat(agent.find()).as("the agent's console line; serial log:\n" + console).isTrue();
        assertThat(console).contains("boot NIC").contains(mac);
        qemu.destroyForcibly();
        return seconds;
    }

    static String consoleOf(Path serial) throws java.io.IOException {
        return Files.exists(serial) ? Files.readString(serial) : "";
    }

    static double tftpCompleted() throws Exception {
        return PrometheusText.sum(inLab("curl -s http://127.0.0.1:18182/q/metrics").output(), "wings_tftp_transfers_total",
                "outcome", "completed");
    }

    static String mac() {
        return String.format("52:54:00:%02x:%02x:%02x", (int) (Math.random() * 256), (int) (Math.random() * 256),
                (int) (Math.random() * 256));
    }

    /** Completed requests of one route and status at http-boot-service, from its metrics. */
    static double requests(String method, String status, String uri) throws Exception {
        return PrometheusText.sum(inLab("curl -s http://10.77.0.1:8080/q/metrics").output(), "http_server_requests_seconds_count",
                "method", method, "status", status, "uri", uri);
    }

    static Repo.Result inLab(String command) throws Exception {
        return Repo.run(java.util.Map.of(), Duration.ofSeconds(30), List.of("ip", "netns", "exec", NS, "sh", "-c", command));
    }

    static List<String> service(String name, List<String> properties) {
        List<String> java = new ArrayList<>(Repo.service(name));
        List<String> common = List.of("-Dwings.site=lab", "-Dwings.instance=lab-1", "-Dkafka.bootstrap.servers=127.0.0.1:1");
        java.addAll(java.size() - 2, common);
        java.addAll(java.size() - 2, properties);
        return java;
    }

    static Process start(String name, List<String> command) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", NS));
        all.addAll(command);
        Process p = new ProcessBuilder(all).redirectErrorStream(true).redirectOutput(WORK.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        PROCESSES.add(p);
        return p;
    }
}
