package io.pxewings.suite;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.deploy.infra.FreePorts;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.agent.FirstBoot;
import io.pxewings.events.agent.TaskProgress;
import io.pxewings.events.agent.TaskResult;
import io.pxewings.testsupport.EventInjector;
import io.pxewings.testsupport.EventProbe;
import io.restassured.path.json.JsonPath;

/**
 * The RAM-only OS on a real kernel: {@code ./wings up} builds it from Debian packages, QEMU boots
 * its kernel and initramfs (TCG, virtio NIC, 512 MiB, a blank 2 GiB disk), and its busybox
 * agent takes a DHCP lease, reports the machine to http-boot-service, which inventory-service
 * records from Kafka, then carries out a {@code wait} task (across a restart of
 * http-boot-service under its long poll), and deploys: a {@code write-image} whose stream is not
 * the blob it names fails on the digest, the test image (published by {@code ./wings up}) is
 * written from image-service and verified, the disk file holds it, a {@code configure} task
 * writes its NoCloud seed, and a {@code kexec} task starts its kernel, whose init phones home
 * with the seed's first-boot token: the first-boot fact ends the deploy.
 *
 * <p>QEMU's user-mode network stays inside QEMU: its DHCP server is built in, and the only
 * address the agent calls, 10.0.2.2, is the host's loopback. The PXE path (DHCP, TFTP, iPXE) in
 * a lab namespace is the lab's end-to-end test.
 */
class RamOsAgentTest {

    static final Path HOME = Path.of("target/wings-ramos").toAbsolutePath();
    static final Map<String, String> ENV = new LinkedHashMap<>();
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    static final String MAC = String.format("52:54:00:%02x:%02x:%02x", (int) (Math.random() * 256),
            (int) (Math.random() * 256), (int) (Math.random() * 256));
    static Process qemu;

    static {
        for (String var : List.of("WINGS_KAFKA_PORT", "WINGS_KAFKA_CONTROLLER_PORT", "WINGS_PG_PORT",
                "WINGS_HTTP_BOOT_PORT", "WINGS_DHCP_ADMIN_PORT", "WINGS_TFTP_ADMIN_PORT", "WINGS_INVENTORY_PORT",
                "WINGS_BMC_PORT", "WINGS_IMAGE_PORT", "WINGS_ORCHESTRATOR_PORT", "WINGS_CONSOLE_PORT", "WINGS_DHCP_PORT", "WINGS_TFTP_PORT")) {
            int port = FreePorts.next();
            PORTS.put(var, port);
            ENV.put(var, Integer.toString(port));
        }
        ENV.put("WINGS_HOME", HOME.toString());
        ENV.put("WINGS_SITE", "ramos");
        // QEMU's user-mode network has no lease in the suite's view and reaches it from 127.0.0.1:
        // tokens for any source here (the lab's test covers tokens bound to the machine's lease).
        ENV.put("WINGS_HTTP_BOOT_AGENT_TRUST_SOURCE", "any");
    }

    @BeforeAll
    static void up() throws Exception {
        // From nothing: no machine, fact or RAM OS from an earlier run may satisfy this one.
        Repo.run(ENV, Duration.ofSeconds(240), List.of(Repo.ROOT.resolve("wings").toString(), "down"));
        Repo.deleteTree(HOME.resolve("files"));
        Repo.deleteTree(HOME.resolve("data"));
        Repo.Result up = Repo.run(ENV, Duration.ofSeconds(600), List.of(Repo.ROOT.resolve("wings").toString(), "up"));
        System.out.println(up.output());
        assertThat(up.exitCode()).as(up.output()).isZero();
        // up put the checkout's RAM OS in this home: built now, or copied from the checkout's build of
        // the same recipe (deploy/ram-os/target/built-RECIPE, made by an earlier home).
        String recipe = Repo.run(Map.of(), Duration.ofSeconds(30), List.of(Repo.ROOT.resolve("deploy/ram-os/build").toString(), "--recipe"))
                .output().trim();
        assertThat(up.output()).containsPattern("ram-os: \\S+, vmlinuz \\d+ KiB, initrd.img \\d+ KiB \\(\\d+ modules\\), built in"
                + "|RAM-only OS: recipe " + recipe + ", ");
        assertThat(Files.readString(HOME.resolve("files/ramos/manifest.txt"))).contains("recipe " + recipe);
    }

    @AfterAll
    static void down() throws Exception {
        if (qemu != null && qemu.isAlive()) {
            qemu.destroyForcibly();
        }
        Repo.run(ENV, Duration.ofSeconds(240), List.of(Repo.ROOT.resolve("wings").toString(), "down"));
    }

    @Test
    void aRamOsMachineReportsItsHardwareAndCarriesOutItsTasks() throws Exception {
        int httpBoot = PORTS.get("WINGS_HTTP_BOOT_PORT");
        int inventory = PORTS.get("WINGS_INVENTORY_PORT");
        String bootstrap = "127.0.0.1:" + PORTS.get("WINGS_KAFKA_PORT");
        // The token iPXE would put on the kernel command line, from the script http-boot-service serves.
        String script = given().port(httpBoot).get("/boot.ipxe?mac=" + MAC + "&buildarch=x86_64&platform=pcbios")
                .then().statusCode(200).extract().asString();
        Matcher token = Pattern.compile("wings\\.token=(\\S+)").matcher(script);
        assertThat(token.find()).as(script).isTrue();

        Path disk = HOME.resolve("lab-disk.raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(2L << 30);
        }
        Path serial = HOME.resolve("serial.log");
        Files.deleteIfExists(serial);
        Path ramos = HOME.resolve("files/ramos");
        List<String> command = List.of("qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-smp", "2",
                "-display", "none", "-serial", "file:" + serial, "-no-reboot", "-nodefaults",
                "-kernel", ramos.resolve("vmlinuz").toString(), "-initrd", ramos.resolve("initrd.img").toString(),
                "-append", "console=ttyS0,115200n8 quiet wings.agent=http://10.0.2.2:" + httpBoot + "/api/agent/v1 wings.token="
                        + token.group(1) + " wings.mac=" + MAC + " wings.renew=3",
                "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,mac=" + MAC,
                "-drive", "file=" + disk + ",format=raw,if=virtio");
        Instant start = Instant.now();
        qemu = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(HOME.resolve("qemu.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();

        // The agent's inventory, through http-boot-service and Kafka, lands in inventory-service.
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() ->
                given().port(inventory).get("/api/v1/machines/by-mac/" + MAC).statusCode() == 200
                        && "inventoried".equals(given().port(inventory).get("/api/v1/machines/by-mac/" + MAC).path("state")));
        double inventoried = seconds(start);
        JsonPath machine = given().port(inventory).get("/api/v1/machines/by-mac/" + MAC).then().extract().jsonPath();
        assertThat(machine.getString("firmware")).isEqualTo("bios");
        assertThat(machine.getInt("cpuThreads")).isEqualTo(2);
        assertThat(machine.getLong("memoryBytes")).as("what the kernel sees of 512 MiB").isBetween(400L << 20, 512L << 20);
        assertThat(machine.getList("disks.name")).containsExactly("vda");
        assertThat(machine.getLong("disks[0].sizeBytes")).isEqualTo(2L << 30);
        assertThat(machine.getList("nics.mac")).containsExactly(MAC);
        assertThat(machine.getString("site")).isEqualTo("ramos");

        double writeStart;
        double writeEnd;
        double firstBoot;
        try (EventInjector injector = new EventInjector(bootstrap);
             EventProbe facts = new EventProbe(bootstrap, Topics.AGENT_FACTS.name())) {
            // http-boot-service dies under the agent's long poll and comes back: the agent retries
            // until it answers again, then gets the task that waited on Kafka meanwhile.
            long pid = Long.parseLong(Files.readString(HOME.resolve("run/http-boot-service.pid")).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            String wait = assign(injector, "wait", Map.of("seconds", "1"));
            Repo.Result again = Repo.run(ENV, Duration.ofSeconds(240), List.of(Repo.ROOT.resolve("wings").toString(), "up"));
            assertThat(again.exitCode()).as(again.output()).isZero();
            TaskResult waited = facts.await(e -> e.type() == EventTypes.AGENT_TASK_COMPLETED
                    && wait.equals(((TaskResult) e.data()).taskId()), Duration.ofSeconds(120)).dataAs(EventTypes.AGENT_TASK_COMPLETED);
            assertThat(waited.message()).isEqualTo("waited 1 s");

            String retake = assign(injector, "inventory", Map.of());
            TaskResult reported = facts.await(e -> e.type() == EventTypes.AGENT_TASK_COMPLETED
                    && retake.equals(((TaskResult) e.data()).taskId()), Duration.ofSeconds(120)).dataAs(EventTypes.AGENT_TASK_COMPLETED);
            assertThat(reported.message()).isEqualTo("inventory reported");

            // Deploy: the test image ./wings up built and published, from image-service through
            // QEMU's gateway (the host's loopback), written to the 2 GiB disk, then kexec'd.
            Map<String, String> image = Deploys.manifest(HOME);
            Map<String, String> write = Deploys.writeImage(image, "http://10.0.2.2:" + PORTS.get("WINGS_IMAGE_PORT"));

            // A stream that is not the blob it claims to be: the whole pipe runs, the digest check fails it.
            Map<String, String> forged = new LinkedHashMap<>(write);
            forged.put("sha256", image.get("raw_sha256"));
            String bad = assign(injector, "write-image", forged);
            TaskResult refused = facts.await(e -> e.type() == EventTypes.AGENT_TASK_FAILED
                    && bad.equals(((TaskResult) e.data()).taskId()), Duration.ofSeconds(180)).dataAs(EventTypes.AGENT_TASK_FAILED);
            assertThat(refused.message()).startsWith("download digest mismatch: sha256 " + image.get("sha256"))
                    .endsWith("(its first and last MiB zeroed again)");
            try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "r")) {
                byte[] first = new byte[1 << 20];
                f.readFully(first);
                assertThat(first).as("nothing of the refused write boots: no boot sector, no GPT").containsOnly((byte) 0);
            }

            writeStart = seconds(start);
            String wrote = assign(injector, "write-image", write);
            TaskResult written = facts.await(e -> e.type() == EventTypes.AGENT_TASK_COMPLETED
                    && wrote.equals(((TaskResult) e.data()).taskId()), Duration.ofSeconds(300)).dataAs(EventTypes.AGENT_TASK_COMPLETED);
            writeEnd = seconds(start);
            assertThat(written.message()).startsWith("wrote 64 MiB to /dev/vda in ")
                    .contains("verified download sha256 " + image.get("sha256").substring(0, 12))
                    .contains("disk sha256 " + image.get("raw_sha256").substring(0, 12))
                    .endsWith("GPT backup moved to the disk's end");
            TaskProgress progress = facts.await(e -> e.type() == EventTypes.AGENT_TASK_PROGRESS
                    && wrote.equals(((TaskProgress) e.data()).taskId()), Duration.ofSeconds(5)).dataAs(EventTypes.AGENT_TASK_PROGRESS);
            assertThat(progress.totalBytes()).isEqualTo(Long.parseLong(image.get("raw_size")));
            assertThat(progress.bytes()).isPositive().isLessThanOrEqualTo(progress.totalBytes());
            assertThat(progress.message()).startsWith("written ");
            Deploys.assertDiskHoldsTheImage(disk, image, HOME);

            // The seed: NoCloud files from http-boot-service, with this deploy's phone_home, in the written root.
            String seed = assign(injector, "configure", Map.of("root", "3"));
            TaskResult seeded = facts.await(e -> e.type() == EventTypes.AGENT_TASK_COMPLETED
                    && seed.equals(((TaskResult) e.data()).taskId()), Duration.ofSeconds(120)).dataAs(EventTypes.AGENT_TASK_COMPLETED);
            assertThat(seeded.message()).startsWith("NoCloud seed (meta-data").contains("user-data")
                    .endsWith(") written to /dev/vda3:/var/lib/cloud/seed/nocloud");

            String jump = assign(injector, "kexec", Deploys.kexec(image));
            TaskResult armed = facts.await(e -> e.type() == EventTypes.AGENT_TASK_COMPLETED
                    && jump.equals(((TaskResult) e.data()).taskId()), Duration.ofSeconds(120)).dataAs(EventTypes.AGENT_TASK_COMPLETED);
            assertThat(armed.message()).isEqualTo("kexec armed: " + image.get("kernel") + " from /dev/vda3 (boot hints)");
            // The installed system's first boot phones home with the seed's token: the deploy's last fact.
            FirstBoot first = facts.await(e -> e.type() == EventTypes.AGENT_FIRST_BOOT && MAC.equals(e.key()),
                    Duration.ofSeconds(180)).dataAs(EventTypes.AGENT_FIRST_BOOT);
            firstBoot = seconds(start);
            assertThat(first.instanceId()).isEqualTo(MAC);
            assertThat(first.hostname()).isEqualTo("wings-" + MAC.replace(":", ""));
            assertThat(first.bootId()).as("the RAM-OS boot that wrote the seed").isNotBlank();
        }
        qemu.destroyForcibly();

        // The timeline, from QEMU's start; the agent stamps its console lines with the kernel's uptime.
        String console = Files.readString(serial);
        // Tokens are short-lived: the agent trades its token for a fresh one of its boot (here every 3 s).
        assertThat(console).as("the agent renewed its token").containsPattern("wings-agent: [0-9.]+s token renewed");
        List<String> timeline = new ArrayList<>();
        for (String[] stage : List.of(new String[] {"RAM OS up", "wings: RAM OS .* up ([0-9.]+) s after boot"},
                new String[] {"DHCP lease", "wings-agent: ([0-9.]+)s address "},
                new String[] {"inventory posted", "wings-agent: ([0-9.]+)s inventory reported"})) {
            Matcher m = Pattern.compile(stage[1]).matcher(console);
            assertThat(m.find()).as(stage[0] + " in the serial log:\n" + console).isTrue();
            timeline.add(String.format("%-28s %6s s (kernel uptime)", stage[0], m.group(1)));
        }
        timeline.add(String.format("%-28s %6.1f s (wall clock)", "in inventory-service", inventoried));
        timeline.add(String.format("%-28s %6.1f s (wall clock)", "image write assigned", writeStart));
        timeline.add(String.format("%-28s %6.1f s (wall clock)", "image written and verified", writeEnd));
        timeline.add(String.format("%-28s %6.1f s (wall clock)", "first boot phoned home", firstBoot));
        Matcher up = Pattern.compile("wings-test-image: up ([0-9.]+) s after boot").matcher(console);
        assertThat(up.find()).as("the written image's init, after the kexec:\n" + console).isTrue();
        Matcher phoned = Pattern.compile("wings-test-image: phoned home as \\S+ in ([0-9.]+) s after boot").matcher(console);
        assertThat(phoned.find()).as(console).isTrue();
        timeline.add(String.format("%-28s %6s s (its kernel's uptime)", "  its init up", up.group(1)));
        timeline.add(String.format("%-28s %6s s (its kernel's uptime)", "  it phoned home", phoned.group(1)));
        System.out.println("[ram-os timeline]\n  " + String.join("\n  ", timeline));
    }

    static String assign(EventInjector injector, String kind, Map<String, String> params) {
        return Deploys.assign(injector, "ramos", MAC, kind, params);
    }

    static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }
}
