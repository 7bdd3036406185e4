package io.pxewings.suite;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.deploy.infra.FreePorts;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.bmc.BmcCommand;
import io.pxewings.events.bmc.CommandResult;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.httpboot.FileServed;
import io.pxewings.events.httpboot.ScriptServed;
import io.pxewings.events.machine.MachineUpdated;
import io.pxewings.testsupport.EventProbe;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code ./wings up --lab 2 --uefi 1 --http-boot 1}: the whole suite, a lab namespace with
 * dhcp-service and tftp-service inside it and tunnels to Kafka and http-boot-service, and two QEMU
 * machines, registered in inventory with their ipmi_sim BMCs and powered on by bmc-service (running
 * in the lab namespace, the site's edge on the BMC network) through those BMCs. The BIOS machine's NIC ROM (iPXE)
 * is chainloaded as a vendor PXE ROM would be (undionly.kpxe by TFTP); the UEFI machine boots by
 * UEFI HTTP Boot (OVMF's HttpBootDxe), with no TFTP at all: ipxe.efi from http-boot-service's
 * files root, where it is by default. Both go on by HTTP into the RAM OS and land in
 * inventory-service. Their facts are read back from Kafka in order; {@code ./wings lab status}
 * shows them. The BIOS machine is then provisioned through the orchestrator: the test image from
 * the site's image cache on the lab bridge, a seed, a kexec, its first boot phones home, and a
 * power cycle boots its disk; deprovisioned, its disk is wiped and it is off. {@code ./wings down} removes
 * the machines and the namespace. (UEFI PXE, firmware PXE
 * then snponly.efi by TFTP, is {@link LabPxeBootTest}'s; one lab run here keeps CI time down.)
 */
class LabLauncherTest {

    static final java.nio.file.Path HOME = java.nio.file.Path.of("target/wings-lab-home").toAbsolutePath();
    static final String NS = "wl-" + ProcessHandle.current().pid() + "-up";
    /** The lab's second site (issue 18): its own namespace and edge instances, site "lab-2". */
    static final String NS2 = NS + "-2";
    static final String BIOS_MAC = "52:54:00:77:00:11";
    static final String UEFI_MAC = "52:54:00:77:00:12";
    static final Map<String, String> ENV = new LinkedHashMap<>();
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    /**
     * The suite on a three-broker KRaft cluster, and a lab of two sites (issue 18): the BIOS machine
     * lab-1 in site "lab", the UEFI machine lab-2 in site "lab-2"; run again, it starts what is missing.
     */
    static final String[] UP = {"up", "--brokers", "3", "--lab", "2", "--sites", "2", "--uefi", "1", "--http-boot", "1"};

    static {
        for (String var : List.of("WINGS_KAFKA_PORT", "WINGS_KAFKA_CONTROLLER_PORT", "WINGS_KAFKA_2_PORT", "WINGS_KAFKA_2_CONTROLLER_PORT",
                "WINGS_KAFKA_3_PORT", "WINGS_KAFKA_3_CONTROLLER_PORT", "WINGS_PG_PORT",
                "WINGS_HTTP_BOOT_PORT", "WINGS_DHCP_ADMIN_PORT", "WINGS_TFTP_ADMIN_PORT", "WINGS_INVENTORY_PORT",
                "WINGS_BMC_PORT", "WINGS_IMAGE_PORT", "WINGS_ORCHESTRATOR_PORT", "WINGS_CONSOLE_PORT", "WINGS_DHCP_PORT", "WINGS_TFTP_PORT",
                "WINGS_LAB_DHCP_ADMIN_PORT", "WINGS_LAB_TFTP_ADMIN_PORT", "WINGS_LAB_HTTP_BOOT_ADMIN_PORT",
                "WINGS_LAB2_DHCP_ADMIN_PORT", "WINGS_LAB2_TFTP_ADMIN_PORT", "WINGS_LAB2_HTTP_BOOT_ADMIN_PORT", "WINGS_LAB2_BMC_PORT")) {
            int port = FreePorts.next();
            PORTS.put(var, port);
            ENV.put(var, Integer.toString(port));
        }
        ENV.put("WINGS_HOME", HOME.toString());
        ENV.put("WINGS_SITE", "lab");
        ENV.put("WINGS_LAB_NS", NS);
        // One run at a time per site: the two machines of one request, one per site, still run at once.
        ENV.put("WINGS_ORCHESTRATOR_MAX_RUNS_PER_SITE", "1");
    }

    @BeforeAll
    static void fromNothing() throws Exception {
        wings("down");
        Repo.deleteTree(HOME.resolve("data"));
        Repo.deleteTree(HOME.resolve("lab"));
    }

    @AfterAll
    static void downAnyway() throws Exception {
        if (console != null) {
            console.quit();
        }
        wings("down");
    }

    /** The console, open on the UEFI machine's page from the moment its provision was asked for. */
    static org.openqa.selenium.WebDriver console;
    static Instant consoleOpened;

    @Test
    void labMachinesPxeBootThroughTheSuiteIntoInventoryAndDownRemovesTheLab() throws Exception {
        Repo.Result up = wings(UP);
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("lab: site lab on wings0 (10.77.0.0/24) in namespace " + NS,
                "lab: site lab-2 on wings0 (10.78.0.0/24) in namespace " + NS2, "lab: 2 machine(s) in 2 site(s)");

        String bios = inventoried(BIOS_MAC, "bios", "X86_BIOS", Stage.tftp("undionly.kpxe"), poweredOn("lab-1"), "lab");
        String uefi = inventoried(UEFI_MAC, "uefi", "X64_UEFI_HTTP", Stage.http("ipxe.efi"), poweredOn("lab-2"), "lab-2");
        System.out.println(bios);
        System.out.println(uefi);
        String bootstrap = bootstrap();
        try (EventProbe tftp = new EventProbe(bootstrap, Topics.TFTP_FACTS.name())) {
            assertThat(tftp.awaitNone(e -> UEFI_MAC.equals(e.subject()), Duration.ofSeconds(3)))
                    .as("the HTTP Boot machine fetched nothing by TFTP").isTrue();
        }

        // The attack of issue 15: from the host, with no credentials, a machine's script. Its
        // token is minted only for the machine's own leased address: none here.
        String stolen = given().port(PORTS.get("WINGS_LAB_HTTP_BOOT_ADMIN_PORT")).get("/boot.ipxe?mac=" + BIOS_MAC).asString();
        assertThat(stolen).doesNotContain("wings.token=").contains("not from " + BIOS_MAC);

        Repo.Result cli = wings("power", "lab-1", "status", "--json");
        assertThat(cli.exitCode()).as(cli.output()).isZero();
        assertThat(cli.output()).contains("\"state\":\"on\"", "\"protocol\":\"ipmi\"").doesNotContain("\"password\"");

        Repo.Result status = wings("lab", "status");
        assertThat(status.output()).containsPattern("lab-1\\s+" + BIOS_MAC + "\\s+bios\\s+pxe\\s+10\\.77\\.0\\.11\\s+on\\s+10\\.77\\.0\\.1\\d\\d\\s+inventoried\\s+lab\\s");
        assertThat(status.output()).containsPattern("lab-2\\s+" + UEFI_MAC + "\\s+uefi\\s+http\\s+10\\.78\\.0\\.12\\s+on\\s+10\\.78\\.0\\.1\\d\\d\\s+inventoried\\s+lab-2\\s");
        // Their BMCs (ipmi_sim, each on its site's network) powered them on, and answer ipmitool like real BMCs.
        for (String bmc : List.of("10.77.0.11", "10.78.0.12")) {
            Repo.Result power = ipmitool(bmc, "power", "status");
            assertThat(power.output()).as(bmc + ": " + power.output()).contains("Chassis Power is on");
        }

        // Provisioned (issues 15 and 16): one request to the orchestrator, and the BIOS machine is
        // power-cycled into the RAM OS, gets the test image from its site's cache, kexecs into it,
        // and its first boot phones home; a power cycle then boots its disk.
        // Both machines at once, in one request: the UEFI one is handed off by a reboot to disk (the
        // hand-off auto), and both runs live through the orchestrator's kill -9.
        System.out.println(provisioned(BIOS_MAC, "lab-1", "lab-2"));
        rebootsIntoItsDiskWhileKafkaIsAway(BIOS_MAC, "lab-1");
        deprovisioned(BIOS_MAC, "lab-1");
        System.out.println(handedOffByAReboot(uefiRunId, UEFI_MAC, "lab-2"));   // the console's page of it, open since the request
        java.util.Set<String> factsAfter = FactLedger.read(bootstrap());
        assertThat(factsAfter).as("every fact on the topics before the faults is there after them").containsAll(factsBefore);
        System.out.printf("[lab faults] %d facts on the topics before the kills, all there after them (%d in all now)%n",
                factsBefore.size(), factsAfter.size());
        consoleProvisionsAndCancels(BIOS_MAC, "lab-1");
        factsCarryTheirSites(given().port(PORTS.get("WINGS_INVENTORY_PORT")).get("/api/v1/machines/by-mac/" + BIOS_MAC).path("id"),
                given().port(PORTS.get("WINGS_INVENTORY_PORT")).get("/api/v1/machines/by-mac/" + UEFI_MAC).path("id"));

        // bmc-service drives the QEMU machines through their ipmi_sim BMCs: a cycle restarts the
        // UEFI one (its BMC records a new power-on), the boot device goes to disk, and off is off.
        Instant before = poweredOn("lab-2");
        Repo.Result cycle = wings("power", "lab-2", "cycle", "--json");
        assertThat(cycle.exitCode()).as(cycle.output()).isZero();
        assertThat(cycle.output()).contains("\"state\":\"completed\"", "\"powerState\":\"on\"");
        assertThat(poweredOn("lab-2")).as("the cycle started the machine again").isAfter(before);
        String labOne = given().port(PORTS.get("WINGS_INVENTORY_PORT")).get("/api/v1/machines/by-mac/" + BIOS_MAC).path("id");
        given().port(PORTS.get("WINGS_BMC_PORT")).contentType("application/json").body("{\"device\":\"disk\",\"efi\":false}")
                .put("/api/v1/machines/" + labOne + "/boot-device?wait=60").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("completed"));
        assertThat(java.nio.file.Files.readString(HOME.resolve("lab/lab-1/bootdev")).trim()).as("ipmi_sim's boot device").isEqualTo("default");
        for (String machine : List.of("lab-1", "lab-2")) {
            Repo.Result off = wings("power", machine, "off", "--json");
            assertThat(off.exitCode()).as(off.output()).isZero();
            assertThat(off.output()).contains("\"powerState\":\"off\"");
        }
        Repo.Result offNow = ipmitool("10.77.0.11", "power", "status");
        assertThat(offNow.output()).contains("Chassis Power is off");
        assertThat(Repo.run(Map.of(), Duration.ofSeconds(10), List.of("sh", "-c", "pgrep -f '[q]emu-system.*" + HOME + "' || true"))
                .output().trim()).as("the machines' QEMU stopped by their BMCs").isEmpty();

        Repo.Result down = wings("down");
        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(down.output()).contains("namespace " + NS + " removed", "namespace " + NS2 + " removed");
        assertThat(Repo.run(Map.of(), Duration.ofSeconds(10), List.of("ip", "netns", "list")).output()).doesNotContain(NS);
        assertThat(Repo.run(Map.of(), Duration.ofSeconds(10), List.of("sh", "-c", "pgrep -f '[q]emu-system.*" + HOME + "' || true"))
                .output().trim()).as("no lab QEMU left").isEmpty();
    }

    /**
     * Provisions a lab machine through the orchestrator (issue 16): one request, and the
     * orchestrator power-cycles it into the RAM OS through bmc-service, has the test image written
     * from the site's image cache on the lab bridge (which pulls the blob from the central
     * image-service once), seeded and kexec'd, and declares success only when the installed
     * system phones home from the RAM-OS boot that wrote it. Checks the commands and facts on the
     * topics, the disk, and returns the timeline from the BMC's power-on. (RamOsAgentTest checks
     * every byte of a disk right after the write; here the seed is in the root by the time the test
     * can look, so the bytes outside the root partition are compared.)
     */
    /** The UEFI machine's run, started in the same request as the BIOS one's. */
    static String uefiRunId;
    /** Every fact on the topics before the faults, and the lab's leases (MAC to address). */
    static java.util.Set<String> factsBefore;
    static Map<String, String> leasesBefore;

    /**
     * kill -9 of components at once (their pids from ./wings' run directory), then ./wings up as an
     * operator or a supervisor would run it: what died starts again, with its data. Two or three
     * components die together (a host losing its edge, or the central services' host), which also
     * saves CI time: a restart's cost is mostly `up` itself and a JVM's start, shared by the group.
     */
    static void crashAndRestart(List<String> components, String... runIds) throws Exception {
        List<Long> pids = new ArrayList<>();
        for (String component : components) {
            pids.add(Long.parseLong(java.nio.file.Files.readString(HOME.resolve("run/" + component + ".pid")).trim()));
        }
        List<String> stages = new ArrayList<>();
        for (String id : runIds) {
            stages.add(given().port(PORTS.get("WINGS_ORCHESTRATOR_PORT")).get("/api/v1/runs/" + id).jsonPath().getString("run.stage"));
        }
        for (long pid : pids) {
            Repo.run(Map.of(), Duration.ofSeconds(10), List.of("kill", "-9", Long.toString(pid)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pids.stream()
                .allMatch(pid -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)));
        Instant killed = Instant.now();
        Repo.Result again = wings(UP);
        assertThat(again.exitCode()).as(components + ": " + again.output()).isZero();
        System.out.printf("[lab kill -9] %s killed with the runs in stages %s, up again in %.1f s%n", String.join(" and ", components),
                stages, Duration.between(killed, Instant.now()).toMillis() / 1000.0);
    }

    /** The lab dhcp-service's leases, MAC to address, from its admin API. */
    static Map<String, String> labLeases() {
        JsonPath leases = given().port(PORTS.get("WINGS_LAB_DHCP_ADMIN_PORT")).get("/api/v1/dhcp/leases").jsonPath();
        Map<String, String> byMac = new LinkedHashMap<>();
        for (int i = 0; i < leases.getList("$").size(); i++) {
            byMac.put(leases.getString("[" + i + "].mac"), leases.getString("[" + i + "].ip"));
        }
        return byMac;
    }

    static String provisioned(String mac, String name, String alsoName) throws Exception {
        String bootstrap = bootstrap();
        int orchestrator = PORTS.get("WINGS_ORCHESTRATOR_PORT");
        Map<String, String> image = Deploys.manifest(HOME);
        String ref = "wings-test:" + image.get("version");
        Instant asked = Instant.now();
        // Through the CLI, as an operator would. The orchestrator's views of machines and images are
        // built from facts: a refusal (404) before they have caught up changes nothing.
        Repo.Result[] started = new Repo.Result[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            started[0] = wings("provision", name, alsoName, "--image", ref, "--idempotency-key", "lab-" + mac, "--json");
            return started[0].exitCode() == 0;
        });
        JsonPath answer = JsonPath.from(started[0].output().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        String runId = answer.getString("runs.find { it.mac == '" + mac + "' }.id");
        String machineId = answer.getString("runs.find { it.mac == '" + mac + "' }.machineId");
        uefiRunId = answer.getString("runs.find { it.mac != '" + mac + "' }.id");
        assertThat(uefiRunId).as(started[0].output()).isNotNull();
        // An operator watches the UEFI machine in the console, through the orchestrator's kill -9 below.
        console = ConsoleInBrowser.chromium();
        consoleOpened = Instant.now();
        console.get("http://127.0.0.1:" + PORTS.get("WINGS_CONSOLE_PORT") + "/#/machine/"
                + answer.getString("runs.find { it.mac != '" + mac + "' }.machineId"));
        siteCutOffWhileItsMachineBoots(runId, uefiRunId);
        // kill -9 of the orchestrator while the image is written: after a restart the run completes,
        // and no stage ran twice (the history below names each stage entered exactly once).
        String[] killedIn = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String stage = given().port(orchestrator).get("/api/v1/runs/" + runId).jsonPath().getString("run.stage");
            killedIn[0] = stage;
            return List.of("write-image", "configure", "hand-off", "await-first-boot", "done").contains(stage);
        });
        long pid = Long.parseLong(java.nio.file.Files.readString(HOME.resolve("run/orchestrator.pid")).trim());
        Repo.run(Map.of(), Duration.ofSeconds(10), List.of("kill", "-9", Long.toString(pid)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        Instant killed = Instant.now();
        Repo.Result restarted = wings(UP);
        assertThat(restarted.exitCode()).as(restarted.output()).isZero();
        System.out.printf("[lab kill -9] orchestrator killed in stage %s, up again in %.1f s%n", killedIn[0],
                Duration.between(killed, Instant.now()).toMillis() / 1000.0);
        // Issue 18: every other service and a Kafka broker killed -9 in turn while both machines
        // provision, each started again as ./wings up does; nothing acknowledged may be lost.
        factsBefore = FactLedger.read(bootstrap());
        leasesBefore = labLeases();
        for (List<String> components : List.of(List.of("kafka", "dhcp-service-lab", "tftp-service-lab"),
                List.of("inventory-service", "bmc-service", "image-service"))) {
            crashAndRestart(components, runId, uefiRunId);
        }
        // The site's cache once both images are on disk: a download cut mid-stream fails the write,
        // which the run retries (a stage run twice, RunEngineTest's case, not this one's).
        Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1)).until(() -> List.of(runId, uefiRunId).stream()
                .allMatch(id -> given().port(orchestrator).get("/api/v1/runs/" + id).jsonPath()
                        .getList("history.findAll { it.what == 'completed' }.stage").contains("write-image")));
        crashAndRestart(List.of("http-boot-service-lab", "image-service-lab"), runId, uefiRunId);
        assertThat(labLeases()).as("the lab's leases after dhcp-service's kill -9").containsAllEntriesOf(leasesBefore);
        Awaitility.await().atMost(Duration.ofSeconds(420)).pollInterval(Duration.ofSeconds(1)).until(() -> !List.of("queued", "running")
                .contains(given().port(orchestrator).get("/api/v1/runs/" + runId).jsonPath().getString("run.status")));
        JsonPath run = given().port(orchestrator).get("/api/v1/runs/" + runId).jsonPath();
        assertThat(run.getString("run.status")).as("run " + runId + ": " + run.prettify()).isEqualTo("succeeded");
        List<String> entered = run.getList("history.findAll { it.what == 'entered' }.stage");
        assertThat(entered).containsExactly("power-on", "await-agent", "write-image", "configure", "hand-off", "await-first-boot");
        assertThat(run.getString("history.find { it.stage == 'write-image' && it.what == 'completed' }.detail"))
                .startsWith("wrote 64 MiB to /dev/vda").contains("disk sha256 " + image.get("raw_sha256").substring(0, 12));

        // What the orchestrator sent: the BMC's boot device and a power cycle, then the disk, persistently.
        try (EventProbe bmc = new EventProbe(bootstrap, Topics.BMC_COMMANDS.name());
             EventProbe agent = new EventProbe(bootstrap, Topics.AGENT_FACTS.name())) {
            java.util.function.Predicate<WingsEvent<?>> ours = e -> machineId.equals(e.subject()) && e.data() instanceof BmcCommand c
                    && c.requestedBy().equals("orchestrator run " + runId);
            BmcCommand pxe = (BmcCommand) bmc.await(ours, Duration.ofSeconds(30)).data();
            BmcCommand cycle = (BmcCommand) bmc.await(ours, Duration.ofSeconds(30)).data();
            BmcCommand disk = (BmcCommand) bmc.await(ours, Duration.ofSeconds(30)).data();
            assertThat(List.of(pxe.action() + " " + pxe.bootDevice(), cycle.action(), disk.action() + " " + disk.bootDevice() + " " + disk.persistent()))
                    .containsExactly("set-boot-device pxe", "power-cycle", "set-boot-device disk true");
            // The first boot that ended the run came from the RAM-OS boot the run powered, not the one before it.
            WingsEvent<?> up = agent.await(e -> e.type() == EventTypes.AGENT_INVENTORY_REPORTED && mac.equals(e.key()) && e.time().isAfter(asked),
                    Duration.ofSeconds(30));
            WingsEvent<?> first = agent.await(e -> e.type() == EventTypes.AGENT_FIRST_BOOT && mac.equals(e.key()), Duration.ofSeconds(30));
            assertThat(((io.pxewings.events.agent.FirstBoot) first.data()).bootId())
                    .isEqualTo(((io.pxewings.events.agent.InventoryReported) up.data()).bootId());
            assertThat(((io.pxewings.events.agent.FirstBoot) first.data()).address()).as("it phoned home from its lab lease").startsWith("10.77.0.1");
        }
        Deploys.assertDiskHoldsTheImage(HOME.resolve("lab").resolve(name).resolve("disk.raw"), image, HOME, 36864);
        // The machine's site served the blob: its cache fetched it from the central image-service, once.
        first(bootstrap, Topics.IMAGE_FACTS.name(), e -> e.type() == EventTypes.IMAGE_CACHE_BLOB_FETCHED
                && ("sha256:" + image.get("sha256")).equals(e.subject()));
        assertThat(given().port(PORTS.get("WINGS_INVENTORY_PORT")).get("/api/v1/machines/by-mac/" + mac).path("id").toString())
                .isEqualTo(machineId);

        // The CLI shows the run's stage timeline, and the machine's facts from its first DHCP
        // discover to its first boot (the orchestrator's event log).
        Repo.Result shown = wings("run", runId);
        assertThat(shown.exitCode()).as(shown.output()).isZero();
        assertThat(shown.output()).contains("run " + runId + ": provision@", " of " + mac, "succeeded").containsPattern("write-image\\s+completed");
        // The run named the built-in's stored version; the CLI shows that document's stages, by case where it chooses.
        Repo.Result workflow = wings("workflow", "show", "provision");
        assertThat(workflow.exitCode()).as(workflow.output()).isZero();
        assertThat(workflow.output()).as(workflow.output()).contains("(built in)", "intent local; bmc set-boot-device disk;",
                "bmc+reboot: bmc power-cycle;", "reboot: task reboot;", "else: task kexec;");
        // The event log is its own consumer group: after the kill -9 it resumes once the dead member's session ends.
        Repo.Result events = wings("events", name);
        for (Instant until = Instant.now().plusSeconds(60); !events.output().contains("run.succeeded") && Instant.now().isBefore(until); ) {
            Thread.sleep(2000);
            events = wings("events", name);
        }
        assertThat(events.exitCode()).as(events.output()).isZero();
        assertThat(events.output()).as(events.output()).contains("dhcp.discover.seen", "agent.inventory.reported", "run.started",
                "agent.first-boot", "run.succeeded", "machine.lifecycle.changed");
        assertThat(events.output().indexOf("run.started")).as("in order").isLessThan(events.output().indexOf("agent.first-boot"));
        System.out.println("[lab events] ./wings events " + name + "\n" + events.output());

        return timeline(run, mac, runId, poweredOn(name), asked, "30 s for BIOS");
    }

    /**
     * Two sites (issue 18). Each site's cap (one run: WINGS_ORCHESTRATOR_MAX_RUNS_PER_SITE) holds
     * its own machines only, so the two runs of one request, one machine in each site, run at
     * once. Then site lab-2 is cut off from Kafka ({@code ./wings lab isolate 2}: a firewall rule in
     * its namespace) as soon as the orchestrator has power-cycled its machine into the RAM OS: the
     * machine boots it all the same from its site's local views (its intent, its lease, its token),
     * while site lab's run goes on; nothing of that boot reaches Kafka meanwhile, and once the site
     * is reconnected its facts arrive, in the order they happened, each carrying site lab-2.
     */
    static void siteCutOffWhileItsMachineBoots(String biosRun, String uefiRun) throws Exception {
        int orchestrator = PORTS.get("WINGS_ORCHESTRATOR_PORT");
        java.util.function.Function<String, JsonPath> run = id -> given().port(orchestrator).get("/api/v1/runs/" + id).jsonPath();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                run.apply(uefiRun).getList("history.findAll { it.what == 'completed' }.stage").contains("power-on"));
        Repo.Result isolate = wings("lab", "isolate", "2");
        assertThat(isolate.exitCode()).as(isolate.output()).isZero();
        Instant cut = Instant.now();   // from here on, nothing the site says can reach a broker
        JsonPath bios = run.apply(biosRun);
        assertThat(bios.getString("run.status")).as("site lab's cap of one did not hold site lab-2's run back: " + bios.prettify())
                .isEqualTo("running");
        assertThat(run.apply(uefiRun).getList("history.findAll { it.what == 'entered' }.stage")).as("admitted at once").contains("power-on");

        // The RAM OS runs: its agent speaks on the serial console, from the boot after the cycle.
        java.nio.file.Path serial = HOME.resolve("lab/lab-2/serial.log");
        Awaitility.await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() ->
                poweredOn("lab-2").isBefore(cut) && java.nio.file.Files.exists(serial) && java.nio.file.Files.readString(serial).contains("wings-agent: "));
        Instant booted = Instant.now();
        long left = Duration.ofSeconds(30).minus(Duration.between(cut, booted)).toMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
        String biosStage = run.apply(biosRun).getString("run.stage");
        java.util.function.Predicate<WingsEvent<?>> ofTheCut = e -> UEFI_MAC.equals(e.subject()) && e.time().isAfter(cut);
        try (EventProbe dhcp = new EventProbe(bootstrap(), Topics.DHCP_FACTS.name())) {
            assertThat(dhcp.awaitNone(ofTheCut, Duration.ofSeconds(2))).as("nothing of lab-2's boot reached Kafka while its site was cut off").isTrue();
        }
        Instant reconnected = Instant.now();
        Repo.Result reconnect = wings("lab", "reconnect", "2");
        assertThat(reconnect.exitCode()).as(reconnect.output()).isZero();

        List<String> order = new ArrayList<>();
        for (var topic : List.of(Topics.DHCP_FACTS, Topics.HTTP_BOOT_FACTS)) {
            try (EventProbe probe = new EventProbe(bootstrap(), topic.name())) {
                java.util.concurrent.atomic.AtomicReference<List<WingsEvent<?>>> seen = new java.util.concurrent.atomic.AtomicReference<>();
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    seen.set(probe.readToEnd(Duration.ofSeconds(30)).stream()
                            .filter(e -> ofTheCut.test(e) && e.time().isBefore(reconnected)).toList());
                    return topic == Topics.DHCP_FACTS ? seen.get().stream().anyMatch(e -> e.type() == EventTypes.DHCP_LEASE_BOUND)
                            : seen.get().stream().anyMatch(e -> e.data() instanceof ScriptServed sc && sc.template().equals("ramos"));
                });
                assertThat(seen.get()).as("in the order they happened").isSortedAccordingTo(Comparator.comparing(WingsEvent::time));
                assertThat(seen.get()).as("from site lab-2's edges").allMatch(e -> e.site().equals("lab-2") && e.source().startsWith("/sites/lab-2/"));
                seen.get().forEach(e -> order.add(e.type().type().replaceAll("io\\.pxewings\\.|\\.v1$", "")));
            }
        }
        System.out.printf("[lab sites] both runs admitted at once under a cap of one per site; site lab-2 cut off from Kafka %.1f s,"
                + " its machine in the RAM OS %.1f s after the cut (site lab's run meanwhile reached %s); its facts of that boot"
                + " arrived after the reconnection, in order: %s%n", Duration.between(cut, reconnected).toMillis() / 1000.0,
                Duration.between(cut, booted).toMillis() / 1000.0, biosStage, order);
    }

    /**
     * Every fact of the two machines from the edges (DHCP, TFTP, http-boot, the agent's, the BMC's)
     * carries the machine's own site, and each site's image cache pulled the image from the catalog.
     */
    static void factsCarryTheirSites(String biosId, String uefiId) {
        Map<String, String> siteOf = Map.of(BIOS_MAC, "lab", UEFI_MAC, "lab-2", biosId, "lab", uefiId, "lab-2");
        Map<String, Integer> counted = new java.util.TreeMap<>();
        for (var topic : List.of(Topics.DHCP_FACTS, Topics.TFTP_FACTS, Topics.HTTP_BOOT_FACTS, Topics.AGENT_FACTS, Topics.BMC_FACTS)) {
            try (EventProbe probe = new EventProbe(bootstrap(), topic.name())) {
                for (WingsEvent<?> e : probe.readToEnd(Duration.ofSeconds(30))) {
                    String expected = siteOf.get(e.subject());
                    if (expected != null) {
                        assertThat(e.site()).as(e.type().type() + " of " + e.subject()).isEqualTo(expected);
                        counted.merge(topic.name() + " " + expected, 1, Integer::sum);
                    }
                }
            }
        }
        assertThat(counted).containsKeys("wings.dhcp.facts lab", "wings.dhcp.facts lab-2", "wings.http-boot.facts lab-2",
                "wings.agent.facts lab", "wings.agent.facts lab-2", "wings.bmc.facts lab", "wings.bmc.facts lab-2");
        try (EventProbe images = new EventProbe(bootstrap(), Topics.IMAGE_FACTS.name())) {
            assertThat(images.readToEnd(Duration.ofSeconds(30)).stream().filter(e -> e.type() == EventTypes.IMAGE_CACHE_BLOB_FETCHED)
                    .map(WingsEvent::site).toList()).as("each site's cache fetched the blob from the central image-service")
                    .contains("lab", "lab-2");
        }
        System.out.printf("[lab sites] the machines' facts by topic and site, each carrying its machine's site: %s%n", counted);
    }

    /** A run's stages in seconds from the BMC's power-on of its machine, and the request-to-provisioned time against the goal. */
    static String timeline(JsonPath run, String mac, String runId, Instant poweredOn, Instant asked, String goal) {
        StringBuilder timeline = new StringBuilder("[lab provision timeline] " + mac + " (run " + runId + "): seconds after the BMC powered it on");
        for (int i = 0; i < run.getList("history").size(); i++) {
            Instant at = Instant.parse(run.getString("history[" + i + "].at"));
            timeline.append(String.format("%n  %-17s %-10s %6.1f  %s", run.getString("history[" + i + "].stage"),
                    run.getString("history[" + i + "].what"), Duration.between(poweredOn, at).toMillis() / 1000.0,
                    String.valueOf(run.getString("history[" + i + "].detail")).replaceAll("(.{90}).*", "$1...")));
        }
        timeline.append(String.format("%n  request to provisioned: %.1f s (issue 16's goal from power-on, both machines at once: %s)",
                Duration.between(asked, Instant.parse(run.getString("run.updatedAt"))).toMillis() / 1000.0, goal));
        return timeline.toString();
    }

    /**
     * The UEFI machine's provision (hand-off auto: a reboot to disk): its BMC's boot device became
     * the disk and bmc-service power-cycled it (no kexec), its firmware booted GRUB from the
     * disk's ESP, and the installed system phoned home from the RAM-OS boot that wrote it.
     */
    static String handedOffByAReboot(String runId, String mac, String name) throws Exception {
        int orchestrator = PORTS.get("WINGS_ORCHESTRATOR_PORT");
        Awaitility.await().atMost(Duration.ofSeconds(600)).pollInterval(Duration.ofSeconds(1)).until(() -> !List.of("queued", "running")
                .contains(given().port(orchestrator).get("/api/v1/runs/" + runId).jsonPath().getString("run.status")));
        JsonPath run = given().port(orchestrator).get("/api/v1/runs/" + runId).jsonPath();
        assertThat(run.getString("run.status")).as("run " + runId + ": " + run.prettify()).isEqualTo("succeeded");
        assertThat(run.getList("history.findAll { it.what == 'entered' }.stage")).containsExactly("power-on", "await-agent",
                "write-image", "configure", "hand-off", "await-first-boot");
        assertThat(run.getString("history.find { it.stage == 'hand-off' && it.what == 'completed' }.detail")).as("the BMC's power cycle,"
                + " not a kexec").isEqualTo("bmc-service confirmed it");
        assertThat(java.nio.file.Files.readString(HOME.resolve("lab").resolve(name).resolve("bootdev")).trim())
                .as("ipmi_sim's boot device: the disk").isEqualTo("default");
        Deploys.assertDiskHoldsTheImage(HOME.resolve("lab").resolve(name).resolve("disk.raw"), Deploys.manifest(HOME), HOME, 36864);
        // Its BMC powered it twice (into the RAM OS, then to its disk): from the first, as the run confirmed it.
        Instant poweredOn = Instant.parse(run.getString("history.find { it.stage == 'power-on' && it.what == 'completed' }.at"));
        consoleWatchedItToProvisioned();
        return timeline(run, mac, runId, poweredOn, Instant.parse(run.getString("run.createdAt")), "45 s for UEFI");
    }

    /**
     * The console's page of the UEFI machine, open since its provision was asked for, filled in
     * live to {@code provisioned}: the state, the run, and the timeline from its first DHCP discover
     * to its first boot, each fact once, although the orchestrator that serves the stream was
     * killed and restarted meanwhile (the page resumed from the last event id it had).
     */
    static void consoleWatchedItToProvisioned() throws Exception {
        org.openqa.selenium.support.ui.WebDriverWait wait = new org.openqa.selenium.support.ui.WebDriverWait(console, Duration.ofSeconds(60));
        wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(org.openqa.selenium.By.id("machine-state"), "provisioned"));
        wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(org.openqa.selenium.By.id("run-status"), "succeeded"));
        wait.until(d -> !d.findElements(org.openqa.selenium.By.cssSelector("#timeline tr[data-type='io.pxewings.run.succeeded.v1']")).isEmpty());
        // The orchestrator's outage was said while it lasted, and is not any more.
        wait.until(d -> !d.findElement(org.openqa.selenium.By.id("machine-offline")).isDisplayed());
        assertThat(console.findElement(org.openqa.selenium.By.id("error")).isDisplayed()).as("no error left on the page").isFalse();
        List<String> types = console.findElements(org.openqa.selenium.By.cssSelector("#timeline tbody tr")).stream()
                .map(e -> e.getAttribute("data-type")).toList();
        assertThat(types).contains("io.pxewings.dhcp.discover.seen.v1", "io.pxewings.agent.inventory.reported.v1",
                "io.pxewings.run.started.v1", "io.pxewings.agent.first-boot.v1", "io.pxewings.run.succeeded.v1");
        assertThat(types.stream().filter("io.pxewings.run.succeeded.v1"::equals).count()).as("each fact once").isEqualTo(1);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> arrivals = (List<Map<String, Object>>) ((org.openqa.selenium.JavascriptExecutor) console)
                .executeScript("return Object.values(window.wingsArrivals);");
        assertThat(arrivals).as("one arrival per row: nothing twice after the resume").hasSize(types.size());
        // How late the page was, for the facts published while it was open (the replayed history aside).
        List<Long> late = arrivals.stream().filter(a -> Instant.parse((String) a.get("time")).isAfter(consoleOpened.plusSeconds(2)))
                .map(a -> ((Number) a.get("at")).longValue() - Instant.parse((String) a.get("time")).toEpochMilli()).sorted().toList();
        System.out.printf("[lab console] the UEFI machine's page: %d facts, %d published while it was open; from publication to the page:"
                + " p50 %d ms, p90 %d ms, max %d ms (through the orchestrator's kill -9)%n", types.size(), late.size(),
                late.get(late.size() / 2), late.get(late.size() * 9 / 10), late.get(late.size() - 1));
        // The write's progress, from the agent's progress facts: the whole image, with its rate.
        assertThat(console.findElement(org.openqa.selenium.By.cssSelector("#current-run small")).getText()).matches("64\\.0 MiB of 64\\.0 MiB · [0-9.]+ MB/s");
        // Why DHCP answers it as it does: the lab's dhcp-service saw its DISCOVERs.
        console.findElement(org.openqa.selenium.By.cssSelector("#machine-page details.explain summary")).click();
        wait.until(d -> d.findElement(org.openqa.selenium.By.id("explanation")).getText().contains("\"mac\": \"" + UEFI_MAC + "\""));
        ConsoleInBrowser.shot(console, "lab-machine-provisioned");
        // The image it got came from its site's cache, and the catalog page says so: both sites' caches hold it.
        console.get("http://127.0.0.1:" + PORTS.get("WINGS_CONSOLE_PORT") + "/#/images");
        String ref = "wings-test:" + Deploys.manifest(HOME).get("version");
        wait.until(d -> d.findElements(org.openqa.selenium.By.cssSelector("tr[data-ref='" + ref + "'] td.cached")).stream()
                .anyMatch(td -> td.getText().equals("lab, lab-2")));
    }

    /**
     * From the console, as an operator would: the deprovisioned BIOS machine (off, ready) selected
     * in the machine list and provisioned; its page shows the boot the BMC started, live, from its
     * DHCP discover on; then the run is cancelled from that page.
     */
    static void consoleProvisionsAndCancels(String mac, String name) throws Exception {
        org.openqa.selenium.support.ui.WebDriverWait wait = new org.openqa.selenium.support.ui.WebDriverWait(console, Duration.ofSeconds(60));
        String ref = "wings-test:" + Deploys.manifest(HOME).get("version");
        console.get("http://127.0.0.1:" + PORTS.get("WINGS_CONSOLE_PORT") + "/#/machines?site=lab&q=" + mac);
        wait.until(d -> d.findElements(org.openqa.selenium.By.cssSelector("table.machines tbody tr")).size() == 1);
        org.openqa.selenium.WebElement row = console.findElement(org.openqa.selenium.By.cssSelector("table.machines tbody tr"));
        assertThat(row.getText()).contains(name, mac, "ready");
        row.findElement(org.openqa.selenium.By.cssSelector("input[type=checkbox]")).click();
        console.findElement(org.openqa.selenium.By.name("image")).sendKeys(ref);
        long clicked = System.currentTimeMillis();
        console.findElement(org.openqa.selenium.By.id("bulk-provision")).click();
        assertThat(wait.until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent()).getText())
                .isEqualTo("Provision 1 machine with " + ref + "?");
        console.switchTo().alert().accept();
        wait.until(d -> !d.findElement(org.openqa.selenium.By.id("notice")).getText().isEmpty()
                || !d.findElement(org.openqa.selenium.By.id("error")).getText().isEmpty());
        assertThat(console.findElement(org.openqa.selenium.By.id("notice")).getText())
                .as(console.findElement(org.openqa.selenium.By.id("error")).getText()).isEqualTo("1 provision runs started");
        row.findElement(org.openqa.selenium.By.cssSelector("a")).click();
        wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(org.openqa.selenium.By.id("run-status"), "running"));
        // The BMC powers it on; its firmware's DHCP discover reaches the open page.
        wait.until(d -> ((Number) ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return Object.values(window.wingsArrivals)"
                + ".filter(a => a.type === 'io.pxewings.dhcp.discover.seen.v1' && Date.parse(a.time) > arguments[0]).length;", clicked)).intValue() > 0);
        ConsoleInBrowser.shot(console, "lab-machine-booting");
        console.findElement(org.openqa.selenium.By.id("cancel-machine-run")).click();
        console.switchTo().alert().accept();
        wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(org.openqa.selenium.By.id("run-status"), "cancelled"));
        JsonPath run = given().port(PORTS.get("WINGS_ORCHESTRATOR_PORT")).get("/api/v1/runs?machine=" + mac + "&limit=1").jsonPath();
        assertThat(run.getString("runs[0].status")).isEqualTo("cancelled");
        // A boot-device action from the same page reaches the machine's BMC (ipmi_sim records it).
        console.findElement(org.openqa.selenium.By.id("boot-pxe")).click();
        wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(org.openqa.selenium.By.id("notice"), "next boot: PXE"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> java.nio.file.Files.readString(HOME.resolve("lab").resolve(name)
                .resolve("bootdev")).trim().equals("pxe"));
        System.out.printf("[lab console] %s provisioned from the console: its DHCP discover on the page %.1f s after the click; cancelled there%n",
                name, (((Number) ((org.openqa.selenium.JavascriptExecutor) console).executeScript("return Math.min(...Object.values(window.wingsArrivals)"
                        + ".filter(a => a.type === 'io.pxewings.dhcp.discover.seen.v1' && Date.parse(a.time) > arguments[0]).map(a => a.at));", clicked))
                        .longValue() - clicked) / 1000.0);
    }

    /**
     * Two promises at once, while the UEFI machine is still provisioning. Netboot gating (issue 16):
     * a provisioned machine power-cycled boots its disk, not the RAM OS, even when its BMC's boot
     * device has been set back to the network (a BMC that forgot, a person at the console): its
     * boot intent is {@code local}, so DHCP gives it no boot file; its serial console shows the
     * installed system again ("phone_home already done"), and no agent reports. And Kafka away
     * (issue 18): every broker is stopped for 60 s around that reboot. The machine boots on the
     * edges' local views all the same; readiness says Kafka is away, at once; bmc-service's API
     * refuses a power command it cannot put on Kafka (503), and that command never runs later
     * (its copy that reaches Kafka afterwards is failed as expired); and the facts the edges
     * buffered arrive once the brokers are back, in the order they happened. The reboot is done at
     * the BMC with ipmitool, as a person at the BMC's console would: bmc-service's commands travel
     * on Kafka.
     */
    static void rebootsIntoItsDiskWhileKafkaIsAway(String mac, String name) throws Exception {
        String id = given().port(PORTS.get("WINGS_INVENTORY_PORT")).get("/api/v1/machines/by-mac/" + mac).path("id");
        List<Long> brokers = new ArrayList<>();
        for (String broker : List.of("kafka", "kafka-2", "kafka-3")) {
            brokers.add(Long.parseLong(java.nio.file.Files.readString(HOME.resolve("run/" + broker + ".pid")).trim()));
        }
        Instant stopped = Instant.now();
        for (long pid : brokers) {
            Repo.run(Map.of(), Duration.ofSeconds(10), List.of("kill", "-TERM", Long.toString(pid)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> brokers.stream()
                .allMatch(pid -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)));

        // Readiness says DOWN and names Kafka once its background check has failed; every probe
        // answers at once (one used to hang for a minute).
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Instant asked = Instant.now();
            Response ready = given().port(PORTS.get("WINGS_LAB_DHCP_ADMIN_PORT")).get("/q/health/ready");
            assertThat(Duration.between(asked, Instant.now())).as("readiness answered rather than hung").isLessThan(Duration.ofSeconds(5));
            assertThat(ready.statusCode()).as(ready.asString()).isEqualTo(503);
            assertThat(ready.jsonPath().getString("checks.find { it.name == 'Kafka connection health check' }.data.reason"))
                    .contains("no broker answered");
        });
        // A power command the API cannot put on Kafka is refused, and says it will not run.
        Response refused = given().port(PORTS.get("WINGS_BMC_PORT")).contentType("application/json").body("{\"action\":\"off\"}")
                .post("/api/v1/machines/" + id + "/power");
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("detail")).contains("not taken", "will not be carried out");

        // Rebooted at its BMC, network first: it boots its disk all the same.
        Instant before = Instant.now();
        for (String chassis : List.of("bootdev pxe", "power cycle")) {
            Repo.Result r = ipmitool("10.77.0.11", chassis.split(" "));
            assertThat(r.exitCode()).as(chassis + ": " + r.output()).isZero();
        }
        java.nio.file.Path serial = HOME.resolve("lab").resolve(name).resolve("serial.log");
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() ->
                poweredOn(name).isAfter(before) && java.nio.file.Files.readString(serial).contains("phone_home already done for "));
        Instant booted = Instant.now();
        Instant cycledAt = poweredOn(name);
        long left = Duration.ofSeconds(60).minus(Duration.between(stopped, booted)).toMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
        Instant restarting = Instant.now();
        Repo.Result up = wings(UP);
        assertThat(up.exitCode()).as(up.output()).isZero();
        System.out.printf("[lab kafka away] every broker stopped %.1f s; the machine booted its disk in %.1f s meanwhile;"
                + " brokers back and every service ready in %.1f s%n", Duration.between(stopped, restarting).toMillis() / 1000.0,
                Duration.between(before, booted).toMillis() / 1000.0, Duration.between(restarting, Instant.now()).toMillis() / 1000.0);

        // The facts of that boot, held in the edges' producers, arrive, in the order they happened.
        try (EventProbe dhcp = new EventProbe(bootstrap(), Topics.DHCP_FACTS.name())) {
            java.util.concurrent.atomic.AtomicReference<List<WingsEvent<?>>> seen = new java.util.concurrent.atomic.AtomicReference<>();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                seen.set(dhcp.readToEnd(Duration.ofSeconds(30)).stream().filter(e -> mac.equals(e.subject())
                        && e.time().isAfter(before) && e.time().isBefore(restarting)).toList());
                return seen.get().stream().anyMatch(e -> e.type() == EventTypes.DHCP_LEASE_BOUND || e.type() == EventTypes.DHCP_LEASE_RENEWED);
            });
            List<WingsEvent<?>> during = seen.get();
            assertThat(during.get(0).type()).as("the boot's first fact").isEqualTo(EventTypes.DHCP_DISCOVER_SEEN);
            assertThat(during).as("in the order they happened").isSortedAccordingTo(Comparator.comparing(WingsEvent::time));
            System.out.printf("[lab kafka away] %d DHCP facts of the reboot arrived after the brokers came back, in order: %s%n",
                    during.size(), during.stream().map(e -> e.type().type().replace("io.pxewings.dhcp.", "")).toList());
        }
        // The refused command reached Kafka late, from the API's producer, and was failed, not run.
        try (EventProbe bmc = new EventProbe(bootstrap(), Topics.BMC_FACTS.name())) {
            WingsEvent<?> expired = bmc.await(e -> e.type() == EventTypes.BMC_COMMAND_FAILED && id.equals(e.subject())
                    && e.data() instanceof CommandResult r && "expired".equals(r.reason()), Duration.ofSeconds(60));
            assertThat(((CommandResult) expired.data()).action()).isEqualTo("power-off");
        }
        assertThat(poweredOn(name)).as("no power action since the reboot at the BMC").isEqualTo(cycledAt);
        Repo.Result on = ipmitool("10.77.0.11", "power", "status");
        assertThat(on.output()).contains("Chassis Power is on");
        try (EventProbe agent = new EventProbe(bootstrap(), Topics.AGENT_FACTS.name())) {
            assertThat(agent.awaitNone(e -> e.type() == EventTypes.AGENT_INVENTORY_REPORTED && mac.equals(e.key())
                    && e.time().isAfter(before), Duration.ofSeconds(2))).as("no RAM OS after the power cycle").isTrue();
        }
    }

    /**
     * Deprovisioned through the orchestrator: back into the RAM OS (its intent is {@code ramos}
     * again), every disk's metadata wiped, powered off by its BMC, and {@code ready} in inventory.
     */
    static void deprovisioned(String mac, String name) throws Exception {
        int orchestrator = PORTS.get("WINGS_ORCHESTRATOR_PORT");
        Repo.Result deprovision = wings("deprovision", name, "--wait", "--timeout", "PT5M");
        assertThat(deprovision.exitCode()).as(deprovision.output()).isZero();
        assertThat(deprovision.output()).contains("1 of 1 runs succeeded").containsPattern(mac + "\\s+\\S+\\s+succeeded");
        String runId = JsonPath.from(wings("runs", "--machine", name, "--limit", "1", "--json").output().trim()).getString("id");
        JsonPath run = given().port(orchestrator).get("/api/v1/runs/" + runId).jsonPath();
        assertThat(run.getString("run.status")).as(run.prettify()).isEqualTo("succeeded");
        System.out.printf("[lab deprovision] %s: %s in %.1f s%n", mac, run.getString("history.find { it.stage == 'wipe' && it.what == 'completed' }.detail"),
                Duration.between(Instant.parse(run.getString("run.createdAt")), Instant.parse(run.getString("run.updatedAt"))).toMillis() / 1000.0);
        byte[] head = new byte[1 << 20];
        try (java.io.RandomAccessFile disk = new java.io.RandomAccessFile(HOME.resolve("lab").resolve(name).resolve("disk.raw").toFile(), "r")) {
            disk.readFully(head);
        }
        assertThat(head).as("the disk's first MiB (MBR, GPT) wiped").containsOnly(0);
        Repo.Result power = ipmitool("10.77.0.11", "power", "status");
        assertThat(power.output()).contains("Chassis Power is off");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(given().port(PORTS.get("WINGS_INVENTORY_PORT"))
                .get("/api/v1/machines/by-mac/" + mac).path("state")));
    }

    /** The first stage a machine's firmware fetched: by TFTP (PXE) or by HTTP (UEFI HTTP Boot). */
    record Stage(boolean byHttp, String file) {
        static Stage tftp(String file) {
            return new Stage(false, file);
        }

        static Stage http(String file) {
            return new Stage(true, file);
        }
    }

    /**
     * Waits for the machine to be inventoried, checks its record and that its facts arrived on
     * Kafka in the order they happened (DHCP, the first stage by TFTP or HTTP, the iPXE script, the
     * RAM OS by HTTP, the agent's inventory, the machine's record); returns its timeline, in
     * seconds from the power-on its BMC carried out.
     */
    static String inventoried(String mac, String firmware, String architecture, Stage firstStage, Instant poweredOn, String site) {
        int inventory = PORTS.get("WINGS_INVENTORY_PORT");
        Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(250)).until(() ->
                "inventoried".equals(given().port(inventory).get("/api/v1/machines/by-mac/" + mac).path("state")));
        JsonPath machine = given().port(inventory).get("/api/v1/machines/by-mac/" + mac).then().extract().jsonPath();
        assertThat(machine.getString("site")).isEqualTo(site);
        assertThat(machine.getString("firmware")).isEqualTo(firmware);
        assertThat(machine.getString("architecture")).isEqualTo(architecture);
        assertThat(machine.getInt("cpuThreads")).isEqualTo(1);
        assertThat(machine.getLong("memoryBytes")).isBetween(400L << 20, 512L << 20);
        assertThat(machine.getLong("disks[0].sizeBytes")).isEqualTo(2L << 30);
        assertThat(machine.getList("nics.mac")).contains(mac);
        String id = machine.getString("id");

        // The machine's facts, from every topic they travel on, in the order they happened.
        String bootstrap = bootstrap();
        List<WingsEvent<?>> facts = new ArrayList<>();
        facts.add(first(bootstrap, Topics.DHCP_FACTS.name(), EventTypes.DHCP_DISCOVER_SEEN.type(), mac));
        facts.add(first(bootstrap, Topics.DHCP_FACTS.name(), EventTypes.DHCP_LEASE_BOUND.type(), mac));
        if (firstStage.byHttp()) {
            // The whole EFI binary, from the files root's default copy of Debian's build.
            facts.add(first(bootstrap, Topics.HTTP_BOOT_FACTS.name(), e -> e.type() == EventTypes.BOOT_FILE_SERVED
                    && mac.equals(e.subject()) && e.data() instanceof FileServed f && f.path().equals(firstStage.file())
                    && f.status() == 200 && f.complete() && f.bytes() == f.size() && f.size() > 0));
        } else {
            WingsEvent<?> tftp = first(bootstrap, Topics.TFTP_FACTS.name(), EventTypes.TFTP_TRANSFER_COMPLETED.type(), mac);
            assertThat(tftp.dataAs(EventTypes.TFTP_TRANSFER_COMPLETED).file()).as("the first stage by TFTP").isEqualTo(firstStage.file());
            facts.add(tftp);
        }
        // The RAM OS script, with the machine's token (an error script, "lease not known yet", may come first).
        facts.add(first(bootstrap, Topics.HTTP_BOOT_FACTS.name(), e -> e.type() == EventTypes.BOOT_SCRIPT_SERVED
                && mac.equals(e.subject()) && e.data() instanceof ScriptServed s && s.template().equals("ramos")));
        facts.add(first(bootstrap, Topics.HTTP_BOOT_FACTS.name(), e -> e.type() == EventTypes.BOOT_FILE_SERVED
                && mac.equals(e.subject()) && e.data() instanceof FileServed f && f.path().startsWith("ramos/")));
        facts.add(first(bootstrap, Topics.AGENT_FACTS.name(), EventTypes.AGENT_INVENTORY_REPORTED.type(), mac));
        // The lab registered the machine with its BMC in inventory (the API, before any DHCP), and
        // bmc-service, not a script, powered it on: a command from the lab, confirmed on.
        WingsEvent<?> registered = first(bootstrap, Topics.MACHINE_FACTS.name(), EventTypes.MACHINE_REGISTERED.type(), id);
        assertThat(registered.dataAs(EventTypes.MACHINE_REGISTERED).cause()).isEqualTo("api");
        assertThat(registered.dataAs(EventTypes.MACHINE_REGISTERED).machine().bmc().protocol()).isEqualTo("ipmi");
        WingsEvent<?> command = first(bootstrap, Topics.BMC_COMMANDS.name(), e -> e.type() == EventTypes.BMC_COMMAND_REQUESTED
                && id.equals(e.subject()) && e.data() instanceof BmcCommand c && c.action().equals("power-on")
                && "wings-lab".equals(c.requestedBy()));
        String commandId = ((BmcCommand) command.data()).commandId();
        WingsEvent<?> poweredOnByBmcService = first(bootstrap, Topics.BMC_FACTS.name(), e -> e.type() == EventTypes.BMC_COMMAND_COMPLETED
                && e.data() instanceof CommandResult r && r.commandId().equals(commandId));
        assertThat(((CommandResult) poweredOnByBmcService.data()).powerState()).isEqualTo("on");
        WingsEvent<?> inventoriedFact;
        try (EventProbe probe = new EventProbe(bootstrap, Topics.MACHINE_FACTS.name())) {
            inventoriedFact = probe.await(e -> e.type() == EventTypes.MACHINE_UPDATED && id.equals(e.subject())
                    && "inventoried".equals(((MachineUpdated) e.data()).machine().state()), Duration.ofSeconds(30));
        }
        facts.add(inventoriedFact);
        List<WingsEvent<?>> byTime = new ArrayList<>(facts);
        byTime.sort(Comparator.comparing(WingsEvent::time));
        assertThat(byTime).as("facts in the order they happened").containsExactlyElementsOf(facts);
        assertThat(registered.time()).as("registered before it was powered on").isBefore(command.time());
        assertThat(poweredOn).as("the BMC powered it on after bmc-service's command").isAfter(command.time())
                .isBefore(poweredOnByBmcService.time());

        assertThat(facts.get(0).time()).as("the first DHCPDISCOVER comes after the BMC powered the machine on")
                .isAfter(poweredOn);
        StringBuilder timeline = new StringBuilder("[lab timeline] " + firmware + " " + mac
                + ": seconds after the BMC powered it on");
        for (WingsEvent<?> e : facts) {
            timeline.append(String.format("%n  %-42s %5.1f", e.type().type(), Duration.between(poweredOn, e.time()).toMillis() / 1000.0));
        }
        return timeline.toString();
    }

    /** When machine NAME's BMC powered it on: its chassis control records the instant. */
    static Instant poweredOn(String name) throws Exception {
        String epoch = java.nio.file.Files.readString(HOME.resolve("lab").resolve(name).resolve("powered-on")).trim();
        java.math.BigDecimal seconds = new java.math.BigDecimal(epoch);
        return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
    }

    static WingsEvent<?> first(String bootstrap, String topic, String type, String subject) {
        return first(bootstrap, topic, e -> e.type().type().equals(type) && subject.equals(e.subject()));
    }

    static WingsEvent<?> first(String bootstrap, String topic, java.util.function.Predicate<WingsEvent<?>> match) {
        try (EventProbe probe = new EventProbe(bootstrap, topic)) {
            return probe.await(match, Duration.ofSeconds(30));
        }
    }

    /** ipmitool's {@code chassis ARGS} at a lab BMC, from inside its site's namespace, as a person at the BMC network would. */
    static Repo.Result ipmitool(String bmc, String... chassis) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", bmc.startsWith("10.78.") ? NS2 : NS, "ipmitool", "-I", "lanplus", "-H", bmc, "-U", "admin",
                "-P", "wings", "-C", "3", "chassis"));
        command.addAll(List.of(chassis));
        return Repo.run(Map.of(), Duration.ofSeconds(30), command);
    }

    /** The three brokers': any one may be the one a fault test killed. */
    static String bootstrap() {
        return "127.0.0.1:" + PORTS.get("WINGS_KAFKA_PORT") + ",127.0.0.1:" + PORTS.get("WINGS_KAFKA_2_PORT") + ",127.0.0.1:"
                + PORTS.get("WINGS_KAFKA_3_PORT");
    }

    static Repo.Result wings(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Repo.ROOT.resolve("wings").toString()));
        command.addAll(List.of(args));
        return Repo.run(ENV, Duration.ofSeconds(600), command);
    }
}
