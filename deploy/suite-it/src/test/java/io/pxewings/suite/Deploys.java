package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.pxewings.events.EventSources;
import io.pxewings.events.EventTypes;
import io.pxewings.events.agent.AgentTask;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.testsupport.EventInjector;

/** What the deploy tests share: the test image's manifest, setting agent tasks, and the written disk's check. */
final class Deploys {

    private Deploys() {
    }

    /** The test image's manifest (deploy/test-image/build) as ./wings up built it under HOME; boot hints by name. */
    static Map<String, String> manifest(Path home) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(home.resolve("images/wings-test/manifest.txt"))) {
            String[] kv = line.split(" ", 2);
            if (kv[0].equals("boot-hint")) {
                m.put(kv[1].substring(0, kv[1].indexOf('=')), kv[1].substring(kv[1].indexOf('=') + 1));
            } else {
                m.put(kv[0], kv[1]);
            }
        }
        return m;
    }

    /** The write-image parameters for the test image, downloaded from {@code imageBase} (the machine's site). */
    static Map<String, String> writeImage(Map<String, String> image, String imageBase) {
        return new LinkedHashMap<>(Map.of("url", imageBase + "/api/v1/blobs/sha256:" + image.get("sha256"), "format", "raw.zst",
                "sha256", image.get("sha256"), "raw_sha256", image.get("raw_sha256"), "raw_size", image.get("raw_size")));
    }

    /** The kexec parameters: the image's boot hints. */
    static Map<String, String> kexec(Map<String, String> image) {
        return Map.of("root", "3", "kernel", image.get("kernel"), "initrd", image.get("initrd"), "cmdline", image.get("cmdline"));
    }

    /** Sets a machine's next agent task on wings.agent.tasks, as the orchestrator will; returns its id. */
    static String assign(EventInjector injector, String site, String mac, String kind, Map<String, String> params) {
        String id = UUID.randomUUID().toString();
        injector.send(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.AGENT_TASK_ASSIGNED,
                EventSources.of(site, "orchestrator", "test"), mac, site, Instant.now(), Traceparent.newRoot(), mac,
                new AgentTask(id, mac, kind, params, Instant.now())));
        return id;
    }

    /**
     * The disk file, read by the host while the VM runs (the agent wrote with direct I/O and
     * synced): every byte of the image is there except what moving the GPT's backup header to the
     * disk's end rewrote (the protective MBR's partition entry, the primary header at LBA 1, and
     * the image's old backup table in its last 33 sectors), and the moved table verifies. Read
     * right after write-image: configure and the first boot write to the root, as they should.
     */
    static void assertDiskHoldsTheImage(Path disk, Map<String, String> image, Path work) throws Exception {
        assertDiskHoldsTheImage(disk, image, work, Long.MAX_VALUE);
    }

    /** As above, comparing only the sectors before {@code untilLba} (the root partition's start, once a seed went in). */
    static void assertDiskHoldsTheImage(Path disk, Map<String, String> image, Path work, long untilLba) throws Exception {
        Path raw = work.resolve("image.raw");
        Repo.Result unzst = Repo.run(Map.of(), Duration.ofSeconds(60), List.of("zstd", "-dqf",
                work.resolve("images/wings-test/image.raw.zst").toString(), "-o", raw.toString()));
        assertThat(unzst.exitCode()).as(unzst.output()).isZero();
        long size = Long.parseLong(image.get("raw_size"));
        List<Long> different = new ArrayList<>();
        try (RandomAccessFile a = new RandomAccessFile(raw.toFile(), "r"); RandomAccessFile b = new RandomAccessFile(disk.toFile(), "r")) {
            byte[] x = new byte[512];
            byte[] y = new byte[512];
            for (long lba = 0; lba < size / 512; lba++) {
                a.readFully(x);
                b.readFully(y);
                if (lba == 0) {
                    // The protective MBR's 0xEE entry now spans the larger disk (UEFI 2.10 5.2.3).
                    Arrays.fill(x, 0x1be, 0x1fe, (byte) 0);
                    Arrays.fill(y, 0x1be, 0x1fe, (byte) 0);
                }
                boolean gpt = lba == 1 || lba >= size / 512 - 33;
                if (!gpt && lba < untilLba && !Arrays.equals(x, y)) {
                    different.add(lba);
                }
            }
        }
        assertThat(different).as("sectors of the image that the disk does not hold").isEmpty();
        Repo.Result verify = Repo.run(Map.of(), Duration.ofSeconds(30), List.of("sfdisk", "--verify", disk.toString()));
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        Repo.Result dump = Repo.run(Map.of(), Duration.ofSeconds(30), List.of("sfdisk", "--dump", disk.toString()));
        long sectors = Files.size(disk) / 512;
        assertThat(dump.output()).as("the backup GPT at the end of the disk").contains("last-lba: " + (sectors - 34));
        Files.delete(raw);
    }
}
