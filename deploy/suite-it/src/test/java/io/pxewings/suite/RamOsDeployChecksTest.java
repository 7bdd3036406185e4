package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy tasks' choices and refusals, run by Debian's busybox sh (as in the RAM-only OS) over a
 * sysfs of the test's making: which disk the hints pick, and the refusals that must come before a
 * byte is written (a disk too small, a bad digest or format, a disk in use). QEMU cannot give one
 * machine a 1.8 TB NVMe beside a 64 MiB disk; the writes themselves run in RamOsAgentTest's VM.
 */
class RamOsDeployChecksTest {

    static final Path DEPLOY = Repo.ROOT.resolve("deploy/ram-os/rootfs/usr/lib/wings/deploy.sh");
    static final String SHA = "a".repeat(64);

    @TempDir
    Path dir;

    @BeforeEach
    void disks() throws Exception {
        disk("vda", 4194304, null);          // 2 GiB
        disk("vdb", 131072, null);           // 64 MiB
        disk("sda", 8388608, "SER-1");       // 4 GiB
        disk("nvme0n1", 3907029168L, "S4GN"); // 1.8 TiB
        disk("loop0", 1 << 20, null);        // never a target
    }

    @Test
    void withoutHintsTheSmallestDiskThatHoldsTheImageIsPicked() throws Exception {
        assertThat(run("pick_disk 67108864 && echo $DISK")).isEqualTo("vdb");
        assertThat(run("pick_disk 67108865 && echo $DISK")).as("one byte more than vdb holds").isEqualTo("vda");
    }

    @Test
    void hintsNarrowTheChoiceAndEveryHintMustMatch() throws Exception {
        assertThat(run("hint_serial=SER-1; pick_disk 1 && echo $DISK")).isEqualTo("sda");
        assertThat(run("hint_disk=/dev/nvme0n1; pick_disk 1 && echo $DISK")).isEqualTo("nvme0n1");
        assertThat(run("hint_size='>=3000000000'; pick_disk 1 && echo $DISK")).isEqualTo("sda");
        assertThat(run("hint_size=2147483648; pick_disk 1 && echo $DISK")).isEqualTo("vda");
        assertThat(run("hint_disk=sda; hint_serial=S4GN; pick_disk 1 || echo \"$WHY\""))
                .startsWith("no disk matches the hints name=sda serial=S4GN and holds 1 bytes; disks:")
                .contains("nvme0n1(1907729 MiB serial S4GN)").doesNotContain("loop0");
    }

    @Test
    void aDiskTooSmallIsRefusedWithTheDisksThereAre() throws Exception {
        assertThat(run("pick_disk 9999999999999 || echo \"$WHY\""))
                .isEqualTo("no disk matches the hints and holds 9999999999999 bytes; disks: nvme0n1(1907729 MiB serial S4GN) "
                        + "sda(4096 MiB serial SER-1) vda(2048 MiB) vdb(64 MiB)");
    }

    @Test
    void badParametersAreRefusedBeforeAnyDiskIsChosen() throws Exception {
        String base = "url=http://10.0.2.2/b format=raw.zst sha256=" + SHA + " raw_sha256=" + SHA + " raw_size=1048576; ";
        assertThat(run(base + "format=qcow2; write_image t1 || echo \"$WHY\""))
                .isEqualTo("format 'qcow2' is none of raw, raw.gz, raw.xz, raw.zst");
        assertThat(run(base + "sha256=ABC; write_image t1 || echo \"$WHY\""))
                .isEqualTo("sha256 'ABC' is not 64 lower-case hex digits");
        assertThat(run(base + "url=file:///etc/shadow; write_image t1 || echo \"$WHY\""))
                .isEqualTo("url 'file:///etc/shadow' is not http(s)");
        assertThat(run(base + "raw_size=-5; write_image t1 || echo \"$WHY\""))
                .isEqualTo("raw_size '-5' is not a positive number of bytes");
        assertThat(run(base + "mode=shred; wipe t1 || echo \"$WHY\""))
                .isEqualTo("mode 'shred' is none of metadata, zero, discard");
        assertThat(Files.exists(dir.resolve("run/target-disk"))).as("no disk was chosen").isFalse();
    }

    @Test
    void aDiskWithAPartitionMountedOrSwappedIsInUse() throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.writeString(proc.resolve("mounts"), "proc /proc proc rw 0 0\n/dev/vdb2 /mnt ext4 rw 0 0\n");
        Files.writeString(proc.resolve("swaps"), "Filename Type Size Used Priority\n/dev/nvme0n1p3 partition 1024 0 -2\n");
        String p = "PROC=" + proc + "; ";
        assertThat(run(p + "in_use vdb && echo \"$WHY\"")).isEqualTo("/dev/vdb is in use: /dev/vdb2 is mounted or swap");
        assertThat(run(p + "in_use nvme0n1 && echo \"$WHY\"")).isEqualTo("/dev/nvme0n1 is in use: /dev/nvme0n1p3 is mounted or swap");
        assertThat(run(p + "in_use vda && echo \"$WHY\" || echo free")).isEqualTo("free");
        assertThat(run(p + "in_use vd && echo \"$WHY\" || echo free")).as("a prefix of vdb is another disk").isEqualTo("free");
    }

    void disk(String name, long sectors, String serial) throws Exception {
        Path b = Files.createDirectories(dir.resolve("sys/block").resolve(name).resolve("device"));
        Files.writeString(b.getParent().resolve("size"), sectors + "\n");
        if (serial != null) {
            Files.writeString(b.resolve("serial"), serial + "\n");
        }
    }

    String run(String script) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        String prelude = "SYS=" + dir.resolve("sys") + "; RUN=" + run + "; read1() { head -n 1 \"$1\" 2>/dev/null; }; "
                + "log() { :; }; . " + DEPLOY + "; ";
        Repo.Result r = Repo.run(Map.of(), Duration.ofSeconds(30), List.of("busybox", "sh", "-c", prelude + script));
        return r.output().strip();
    }
}
