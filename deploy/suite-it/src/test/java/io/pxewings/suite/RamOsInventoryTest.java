package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The RAM-OS agent's inventory, run by Debian's busybox sh (as in the RAM-only OS) over a sysfs
 * and procfs of the test's making ({@code wings-agent inventory}, WINGS_SYS and WINGS_PROC): the
 * machines QEMU can give the lab cannot show a diskless server, two sockets or NVMe serials.
 */
class RamOsInventoryTest {

    static final Path AGENT = Repo.ROOT.resolve("deploy/ram-os/rootfs/usr/bin/wings-agent");

    @TempDir
    Path dir;

    @Test
    void aDisklessMachineIsReportedWithNoDisksInsteadOfKillingTheAgent() throws Exception {
        Path sys = dir.resolve("sys");
        Files.createDirectories(sys.resolve("block"));
        nic(sys, "eth0", "52:54:00:77:00:21", true);
        JsonNode inv = inventory(sys, cpuinfo(1, 1, 1), "52:54:00:77:00:21");

        assertThat(inv.path("disks").isArray()).isTrue();
        assertThat(inv.path("disks")).isEmpty();
        assertThat(inv.path("firmware").asText()).isEqualTo("bios");
        assertThat(inv.path("mac").asText()).isEqualTo("52:54:00:77:00:21");
        assertThat(inv.path("nics")).hasSize(1);
    }

    @Test
    void disksNicsCpusAndDmiAreReadAndVirtualDevicesSkipped() throws Exception {
        Path sys = dir.resolve("sys");
        Path nvme = Files.createDirectories(sys.resolve("block/nvme0n1/device"));
        Files.createDirectories(sys.resolve("block/nvme0n1/queue"));
        Files.writeString(nvme.getParent().resolve("size"), "1953525168\n");
        Files.writeString(nvme.getParent().resolve("queue/rotational"), "0\n");
        Files.writeString(nvme.resolve("model"), "Samsung \"PM983\"  \n");
        Files.writeString(nvme.resolve("serial"), "S4GNNA0R123456\n");
        Files.writeString(nvme.getParent().resolve("wwid"), "eui.0025388b91b2a1c4\n");
        Path loop = Files.createDirectories(sys.resolve("block/loop0"));
        Files.writeString(loop.resolve("size"), "0\n");
        Path sda = Files.createDirectories(sys.resolve("block/sda/queue"));
        Files.writeString(sda.getParent().resolve("size"), "not-a-number\n");
        Files.writeString(sda.resolve("rotational"), "1\n");
        Files.createDirectories(sys.resolve("firmware/efi"));
        Path dmi = Files.createDirectories(sys.resolve("class/dmi/id"));
        Files.writeString(dmi.resolve("product_uuid"), "4C4C4544-0042-3510-8052-B4C04F4E4A32\n");
        Files.writeString(dmi.resolve("product_serial"), "7B5RNJ2\n");
        Files.writeString(dmi.resolve("sys_vendor"), "Dell Inc.\n");
        nic(sys, "eno1", "b0:26:28:aa:bb:01", true);
        nic(sys, "eno2", "b0:26:28:aa:bb:02", false);
        Files.createDirectories(sys.resolve("class/net/lo"));   // no device link: virtual
        Files.writeString(sys.resolve("class/net/lo/address"), "00:00:00:00:00:00\n");

        JsonNode inv = inventory(sys, cpuinfo(2, 4, 8), "b0:26:28:aa:bb:01");

        assertThat(inv.path("firmware").asText()).isEqualTo("uefi");
        assertThat(inv.path("systemUuid").asText()).isEqualTo("4c4c4544-0042-3510-8052-b4c04f4e4a32");
        assertThat(inv.path("serial").asText()).isEqualTo("7B5RNJ2");
        assertThat(inv.path("manufacturer").asText()).isEqualTo("Dell Inc.");
        assertThat(inv.path("product").isNull()).as("absent DMI value: null").isTrue();
        assertThat(inv.path("cpuSockets").asInt()).isEqualTo(2);
        assertThat(inv.path("cpuCores").asInt()).isEqualTo(8);
        assertThat(inv.path("cpuThreads").asInt()).isEqualTo(16);
        assertThat(inv.path("memoryBytes").asLong()).isEqualTo(65_536_000L * 1024);
        assertThat(inv.path("disks")).extracting(d -> d.path("name").asText()).containsExactly("nvme0n1", "sda");
        JsonNode disk = inv.path("disks").get(0);
        assertThat(disk.path("sizeBytes").asLong()).isEqualTo(1_953_525_168L * 512);
        assertThat(disk.path("rotational").asBoolean()).isFalse();
        assertThat(disk.path("model").asText()).isEqualTo("Samsung \"PM983\"");
        assertThat(disk.path("serial").asText()).isEqualTo("S4GNNA0R123456");
        assertThat(disk.path("wwn").asText()).isEqualTo("eui.0025388b91b2a1c4");
        assertThat(inv.path("disks").get(1).path("sizeBytes").asLong()).as("an unreadable size: 0, not a crash").isZero();
        assertThat(inv.path("nics")).extracting(n -> n.path("mac").asText())
                .containsExactly("b0:26:28:aa:bb:01", "b0:26:28:aa:bb:02");
        assertThat(inv.path("nics").get(0).path("link").asBoolean()).isTrue();
        assertThat(inv.path("nics").get(1).path("link").asBoolean()).isFalse();
        assertThat(inv.path("nics").get(0).path("speedMbps").asInt()).isEqualTo(25000);
    }

    static void nic(Path sys, String name, String mac, boolean carrier) throws Exception {
        Path n = Files.createDirectories(sys.resolve("class/net").resolve(name).resolve("device"));
        Files.writeString(n.getParent().resolve("address"), mac + "\n");
        Files.writeString(n.getParent().resolve("carrier"), carrier ? "1\n" : "0\n");
        Files.writeString(n.getParent().resolve("speed"), carrier ? "25000\n" : "-1\n");
    }

    /** A /proc/cpuinfo of SOCKETS sockets with CORES cores each, THREADS_PER_SOCKET threads each. */
    static String cpuinfo(int sockets, int cores, int threadsPerSocket) {
        StringBuilder b = new StringBuilder();
        int processor = 0;
        for (int s = 0; s < sockets; s++) {
            for (int t = 0; t < threadsPerSocket; t++) {
                b.append("processor\t: ").append(processor++).append('\n')
                        .append("model name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz\n")
                        .append("physical id\t: ").append(s).append('\n')
                        .append("cpu cores\t: ").append(cores).append("\n\n");
            }
        }
        return b.toString();
    }

    JsonNode inventory(Path sys, String cpuinfo, String mac) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.writeString(proc.resolve("cpuinfo"), cpuinfo);
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       65536000 kB\nMemFree:        1000 kB\n");
        Path run = Files.createDirectories(dir.resolve("run"));
        Repo.Result r = Repo.run(Map.of("WINGS_SYS", sys.toString(), "WINGS_PROC", proc.toString(), "WINGS_RUN", run.toString(),
                "WINGS_MAC", mac), Duration.ofSeconds(30), List.of("busybox", "sh", AGENT.toString(), "inventory"));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return new ObjectMapper().readTree(r.output());
    }
}
