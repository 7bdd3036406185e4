package io.pxewings.suite;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.pxewings.deploy.infra.FreePorts;

/**
 * {@code ./wings up}, {@code status} and {@code down} for real: PostgreSQL, Kafka, seven
 * services and the console as separate processes (the console in a real browser, on this suite), on free ports and with state under {@code target/}, so the test
 * never touches a developer's running suite.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherTest {

    static final List<String> SERVICES = List.of("http-boot-service", "dhcp-service", "tftp-service",
            "inventory-service", "bmc-service", "image-service", "orchestrator", "console");
    static final Path HOME = Path.of("target/wings-home").toAbsolutePath();
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    static final Map<String, String> ENV = new LinkedHashMap<>();

    static {
        for (String var : List.of("WINGS_KAFKA_PORT", "WINGS_KAFKA_CONTROLLER_PORT", "WINGS_PG_PORT",
                "WINGS_HTTP_BOOT_PORT", "WINGS_DHCP_ADMIN_PORT", "WINGS_TFTP_ADMIN_PORT", "WINGS_INVENTORY_PORT",
                "WINGS_BMC_PORT", "WINGS_IMAGE_PORT", "WINGS_ORCHESTRATOR_PORT", "WINGS_CONSOLE_PORT")) {
            int port = FreePorts.next();
            PORTS.put(var, port);
            ENV.put(var, Integer.toString(port));
        }
        ENV.put("WINGS_DHCP_PORT", Integer.toString(FreePorts.next()));
        PORTS.put("WINGS_TFTP_PORT", FreePorts.next());
        ENV.put("WINGS_TFTP_PORT", Integer.toString(PORTS.get("WINGS_TFTP_PORT")));
        ENV.put("WINGS_HOME", HOME.toString());
        ENV.put("WINGS_SITE", "suite");
    }

    @AfterAll
    static void downAnyway() throws Exception {
        wings("down");
    }

    @Test
    @Order(1)
    void upStartsEverythingAndTheServicesTalkThroughTheBroker() throws Exception {
        Repo.Result up = wings("up");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("PXE Wings is up (site suite)");
        for (String service : SERVICES) {
            assertThat(up.output()).as(service + " row").containsPattern(
                    service + "\\s+http://127\\.0\\.0\\.1:\\d+\\s+\\d+\\s+UP\\s+" + HOME.resolve("logs/" + service + ".log"));
        }
        // Every service announced itself; the orchestrator, a separate process, consumed those
        // facts from the broker into its database.
        int orchestrator = PORTS.get("WINGS_ORCHESTRATOR_PORT");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(given().port(orchestrator).get("/api/v1/services?site=suite").then().statusCode(200)
                        .extract().jsonPath().<String>getList("findAll { it.state == 'running' }.service"))
                        .containsExactlyInAnyOrderElementsOf(SERVICES));

        // TFTP serves Debian's iPXE bootloader out of the box, byte for byte.
        Path fetched = HOME.resolve("undionly.kpxe");
        Repo.Result tftp = Repo.run(Map.of(), Duration.ofSeconds(60), List.of("curl", "-sS", "-o", fetched.toString(),
                "tftp://127.0.0.1:" + PORTS.get("WINGS_TFTP_PORT") + "/undionly.kpxe"));
        assertThat(tftp.exitCode()).as(tftp.output()).isZero();
        assertThat(Files.readAllBytes(fetched)).isEqualTo(Files.readAllBytes(Path.of("/usr/lib/ipxe/undionly.kpxe")));

        // A machine recorded now must outlive a restart of the whole suite (test 5).
        // (A fresh MAC and host name each run: the launcher keeps data across runs of this test.)
        machineId = given().port(PORTS.get("WINGS_INVENTORY_PORT")).contentType("application/json")
                .body("{\"site\":\"suite\",\"hostname\":\"" + SURVIVOR + "\",\"labels\":{\"rack\":\"r1\"},"
                        + "\"nics\":[{\"mac\":\"" + SURVIVOR_MAC + "\",\"boot\":true}]}")
                .post("/api/v1/machines").then().statusCode(201).extract().path("id");
    }

    static String machineId;
    static final String SURVIVOR_MAC = String.format("02:00:%02x:%02x:%02x:%02x", (int) (Math.random() * 256),
            (int) (Math.random() * 256), (int) (Math.random() * 256), (int) (Math.random() * 256));
    static final String SURVIVOR = "survivor-" + SURVIVOR_MAC.replace(":", "");

    /** The console, in headless Chromium, on this suite (ConsoleInBrowser says what it does). */
    @Test
    @Order(2)
    void theConsoleWorksInARealBrowser() throws Exception {
        new ConsoleInBrowser(PORTS, HOME, machineId, SURVIVOR).run();
    }

    @Test
    @Order(3)
    void upAgainChangesNothing() throws Exception {
        Map<String, String> before = pids();
        Repo.Result again = wings("up");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(pids()).isEqualTo(before);
        Repo.Result status = wings("status");
        assertThat(status.output()).containsPattern("orchestrator\\s+\\S+\\s+" + before.get("orchestrator") + "\\s+UP");
    }

    /**
     * Issue 18: PostgreSQL restarted under the running suite. The services with a database say so
     * in readiness while it is away, naming the check; the edges, which need none, stay ready; and
     * every one is ready again once it is back, without a restart of its own, and takes a write at
     * once (a pool holding connections to the old server would fail the first one).
     */
    @Test
    @Order(4)
    void aPostgresRestartShowsInReadinessAndNeedsNoServiceRestart() throws Exception {
        Map<String, String> before = pids();
        long postgres = Long.parseLong(before.remove("postgres"));
        List<String> withDatabase = List.of("WINGS_INVENTORY_PORT", "WINGS_BMC_PORT", "WINGS_IMAGE_PORT", "WINGS_ORCHESTRATOR_PORT");
        List<String> edges = List.of("WINGS_HTTP_BOOT_PORT", "WINGS_DHCP_ADMIN_PORT", "WINGS_TFTP_ADMIN_PORT");
        Instant stopped = Instant.now();
        Repo.run(Map.of(), Duration.ofSeconds(10), List.of("kill", "-TERM", Long.toString(postgres)));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(postgres).map(p -> !p.isAlive()).orElse(true));
        for (String port : withDatabase) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                var ready = given().port(PORTS.get(port)).get("/q/health/ready");
                assertThat(ready.statusCode()).as(port + ": " + ready.asString()).isEqualTo(503);
                assertThat(ready.jsonPath().getString("checks.find { it.name == 'Database connections health check' }.status"))
                        .as(port).isEqualTo("DOWN");
            });
        }
        for (String port : edges) {
            given().port(PORTS.get(port)).get("/q/health/ready").then().statusCode(200);
        }
        Instant restarting = Instant.now();
        Repo.Result up = wings("up");
        assertThat(up.exitCode()).as(up.output()).isZero();
        Map<String, String> after = pids();
        after.remove("postgres");
        assertThat(after).as("no service restarted").isEqualTo(before);
        for (String port : withDatabase) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    given().port(PORTS.get(port)).get("/q/health/ready").then().statusCode(200));
        }
        String mac = String.format("02:01:%02x:%02x:%02x:%02x", (int) (Math.random() * 256), (int) (Math.random() * 256),
                (int) (Math.random() * 256), (int) (Math.random() * 256));
        given().port(PORTS.get("WINGS_INVENTORY_PORT")).contentType("application/json")
                .body("{\"site\":\"suite\",\"hostname\":\"after-pg-" + mac.replace(":", "") + "\",\"nics\":[{\"mac\":\"" + mac
                        + "\",\"boot\":true}]}")
                .post("/api/v1/machines").then().statusCode(201);
        System.out.printf("[postgres restart] away %.1f s; every service ready again %.1f s after it was started, none restarted%n",
                Duration.between(stopped, restarting).toMillis() / 1000.0, Duration.between(restarting, Instant.now()).toMillis() / 1000.0);
    }

    @Test
    @Order(5)
    void downLeavesNoProcessAndNoListeningPort() throws Exception {
        List<Long> pids = new ArrayList<>(pids().values().stream().map(Long::parseLong).toList());
        Path postmaster = HOME.resolve("data/postgres/postmaster.pid");
        pids.add(Long.parseLong(Files.readAllLines(postmaster).get(0).trim()));
        assertThat(pids).hasSize(11);

        Repo.Result down = wings("down");

        assertThat(down.exitCode()).as(down.output()).isZero();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid + " alive").isFalse();
        }
        for (var port : PORTS.entrySet()) {
            assertThat(listening(port.getValue())).as(port.getKey() + " " + port.getValue() + " still listening").isFalse();
        }
        assertThat(HOME.resolve("data/postgres/PG_VERSION")).as("data is kept").exists();
    }

    @Test
    @Order(6)
    void inventoryKeepsItsMachinesAcrossARestart() throws Exception {
        assertThat(machineId).as("test 1 recorded a machine").isNotNull();
        Repo.Result up = wings("up");
        assertThat(up.exitCode()).as(up.output()).isZero();
        int inventory = PORTS.get("WINGS_INVENTORY_PORT");
        given().port(inventory).get("/api/v1/machines/by-mac/" + SURVIVOR_MAC.toUpperCase().replace(':', '-')).then()
                .statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo(machineId))
                .body("hostname", org.hamcrest.Matchers.equalTo(SURVIVOR))
                .body("labels.rack", org.hamcrest.Matchers.equalTo("r1"));
        Repo.Result down = wings("down");
        assertThat(down.exitCode()).as(down.output()).isZero();
    }

    @Test
    @Order(7)
    void aPortInUseStopsUpNamingThePortAndItsHolderAndStartsNothing() throws Exception {
        int port = PORTS.get("WINGS_INVENTORY_PORT");
        try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            Repo.Result up = wings("up");

            assertThat(up.exitCode()).isNotZero();
            assertThat(up.output()).contains("port " + port + " (for inventory-service) is in use by pid "
                    + ProcessHandle.current().pid());
            assertThat(pids()).as("nothing started").isEmpty();
            for (var other : PORTS.entrySet()) {
                if (other.getValue() != port) {
                    assertThat(listening(other.getValue())).as(other.getKey() + " listening").isFalse();
                }
            }
        }
    }

    static Repo.Result wings(String command) throws Exception {
        return Repo.run(ENV, Duration.ofSeconds(240), List.of(Repo.ROOT.resolve("wings").toString(), command));
    }

    /** Live processes recorded by the launcher, by component name. */
    static Map<String, String> pids() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Path run = HOME.resolve("run");
        if (!Files.isDirectory(run)) {
            return out;
        }
        try (Stream<Path> files = Files.list(run)) {
            for (Path f : files.sorted().toList()) {
                String pid = Files.readString(f).trim();
                if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                    out.put(f.getFileName().toString().replace(".pid", ""), pid);
                }
            }
        }
        return out;
    }

    static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
