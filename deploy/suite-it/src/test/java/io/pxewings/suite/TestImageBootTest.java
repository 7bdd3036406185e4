package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test image that deploys write (deploy/test-image/build) is a real bootable disk: its
 * manifest's digest is the raw disk's, its GPT holds a BIOS boot partition, an ESP and the ext4
 * root, and it cold-boots on SeaBIOS (GRUB's boot.img and core.img, written by the build the way
 * grub-bios-setup writes them) and on OVMF (GRUB as EFI/BOOT/BOOTX64.EFI) to its own init.
 * Booting it by kexec from the RAM OS, with a seed and phone_home, is the deploy's test.
 */
class TestImageBootTest {

    static final Path WORK = Path.of("target/test-image").toAbsolutePath();
    static final List<Process> QEMU = new ArrayList<>();
    static final Map<String, String> MANIFEST = new LinkedHashMap<>();
    static Path raw;

    @BeforeAll
    static void build() throws Exception {
        Repo.deleteTree(WORK);
        Files.createDirectories(WORK);
        Repo.Result build = Repo.run(Map.of(), Duration.ofSeconds(600),
                List.of(Repo.ROOT.resolve("deploy/test-image/build").toString(), WORK.resolve("out").toString()));
        System.out.println(build.output());
        assertThat(build.exitCode()).as(build.output()).isZero();
        for (String line : Files.readAllLines(WORK.resolve("out/manifest.txt"))) {
            int sp = line.indexOf(' ');
            MANIFEST.putIfAbsent(line.substring(0, sp), line.substring(sp + 1));
        }
        raw = WORK.resolve("image.raw");
        Repo.Result unzst = Repo.run(Map.of(), Duration.ofSeconds(120), List.of("zstd", "-dqf",
                WORK.resolve("out/image.raw.zst").toString(), "-o", raw.toString()));
        assertThat(unzst.exitCode()).as(unzst.output()).isZero();
    }

    @AfterAll
    static void stop() {
        QEMU.forEach(Process::destroyForcibly);
    }

    @Test
    void theManifestDescribesTheRawDiskAndItsPartitions() throws Exception {
        assertThat(Files.size(raw)).isEqualTo(Long.parseLong(MANIFEST.get("raw_size")));
        assertThat(sha256(raw)).isEqualTo(MANIFEST.get("raw_sha256"));
        assertThat(MANIFEST.get("version")).isEqualTo("1." + MANIFEST.get("raw_sha256").substring(0, 12));
        assertThat(sha256(WORK.resolve("out/image.raw.zst"))).isEqualTo(MANIFEST.get("sha256"));
        Repo.Result table = Repo.run(Map.of(), Duration.ofSeconds(30), List.of("sfdisk", "--dump", raw.toString()));
        assertThat(table.output())
                .contains("label: gpt")
                .containsPattern("start=\\s*2048, size=\\s*2048, type=21686148-6449-6E6F-744E-656564454649")
                .containsPattern("start=\\s*4096, size=\\s*32768, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B")
                .containsPattern("start=\\s*36864, size=\\s*\\d+, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4");
        Repo.Result verify = Repo.run(Map.of(), Duration.ofSeconds(30), List.of("sfdisk", "--verify", raw.toString()));
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        // GRUB's boot sector: the 0x55AA signature, and core.img's LBA where boot.img reads it.
        byte[] mbr = new byte[512];
        try (InputStream in = Files.newInputStream(raw)) {
            assertThat(in.readNBytes(mbr, 0, 512)).isEqualTo(512);
        }
        assertThat(mbr[510] & 0xff).isEqualTo(0x55);
        assertThat(mbr[511] & 0xff).isEqualTo(0xaa);
        assertThat(java.nio.ByteBuffer.wrap(mbr, 0x5c, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(2048);
        assertThat(MANIFEST.get("boot-hint")).isEqualTo("root=3");
    }

    @Test
    void itBootsOnBiosAndOnUefi() throws Exception {
        Path bios = start("bios", List.of());
        Path vars = WORK.resolve("OVMF_VARS_4M.fd");
        Files.copy(Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd"), vars, StandardCopyOption.REPLACE_EXISTING);
        Path uefi = start("uefi", List.of("-machine", "q35",
                "-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
                "-drive", "if=pflash,format=raw,file=" + vars));
        Pattern up = Pattern.compile("wings-test-image: up ([0-9.]+) s after boot \\(kernel (\\S+),");
        for (Path serial : List.of(bios, uefi)) {
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Files.exists(serial) && Files.readString(serial).contains("wings-test-image: no NoCloud seed"));
            String console = Files.readString(serial);
            Matcher m = up.matcher(console);
            assertThat(m.find()).isTrue();
            assertThat("linux-image-" + m.group(2)).isEqualTo(MANIFEST.get("kernel"));
            assertThat(console).as("no seed on a bare image: it says so and reports nothing")
                    .contains("wings-test-image: no NoCloud seed in /var/lib/cloud/seed/nocloud");
            System.out.printf("[test image] %s: init up %s s after the kernel started%n", serial.getFileName(), m.group(1));
        }
    }

    static Path start(String name, List<String> firmware) throws Exception {
        Path disk = WORK.resolve(name + ".raw");
        Files.copy(raw, disk, StandardCopyOption.REPLACE_EXISTING);
        Path serial = WORK.resolve(name + "-serial.log");
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-m", "384",
                "-display", "none", "-serial", "file:" + serial, "-no-reboot", "-nodefaults", "-nic", "none",
                "-drive", "file=" + disk + ",format=raw,if=virtio"));
        command.addAll(firmware);
        QEMU.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(WORK.resolve(name + "-qemu.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start());
        return serial;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file); OutputStream out = new java.security.DigestOutputStream(
                OutputStream.nullOutputStream(), md)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
