package io.pxewings.common.bootloaders;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pxewings.common.bootloaders.Bootloaders.Outcome;
import io.pxewings.common.bootloaders.Bootloaders.Result;

class BootloadersTest {

    @TempDir
    Path dir;

    @Test
    void copiesDereferencedKeepsTheOperatorsOwnAndReportsWhatIsMissing() throws Exception {
        Path source = Files.createDirectories(dir.resolve("usr-lib-ipxe"));
        Path boot = Files.createDirectories(dir.resolve("boot"));
        Files.write(boot.resolve("ipxe.efi"), new byte[] {1, 2, 3});
        // As in Debian's ipxe package: /usr/lib/ipxe/ipxe.efi -> /boot/ipxe.efi.
        Files.createSymbolicLink(source.resolve("ipxe.efi"), boot.resolve("ipxe.efi"));
        Files.write(source.resolve("snponly.efi"), new byte[] {4, 5});
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.write(root.resolve("snponly.efi"), new byte[] {9});

        List<Result> results = Bootloaders.install(root, source, List.of("ipxe.efi", "snponly.efi", "undionly.kpxe", "../x.efi"),
                "wings.test.ipxe-dir");

        assertThat(results).extracting(Result::outcome)
                .containsExactly(Outcome.COPIED, Outcome.ALREADY_THERE, Outcome.NOT_IN_SOURCE, Outcome.FAILED);
        assertThat(Files.isSymbolicLink(root.resolve("ipxe.efi"))).as("a copy, not a link out of the root").isFalse();
        assertThat(Files.readAllBytes(root.resolve("ipxe.efi"))).containsExactly(1, 2, 3);
        assertThat(Files.readAllBytes(root.resolve("snponly.efi"))).as("the operator's own build wins").containsExactly(9);
        assertThat(root.resolve("undionly.kpxe")).doesNotExist();
        assertThat(dir.resolve("x.efi")).doesNotExist();
        try (var files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void makesTheDirectoriesOfANestedName() throws Exception {
        Path source = Files.createDirectories(dir.resolve("src/arm64"));
        Files.write(source.resolve("ipxe.efi"), new byte[] {7});
        Path root = dir.resolve("root");
        Files.createDirectories(root);

        assertThat(Bootloaders.install(root, dir.resolve("src"), List.of("arm64/ipxe.efi"), "k"))
                .extracting(Result::outcome).containsExactly(Outcome.COPIED);
        assertThat(Files.readAllBytes(root.resolve("arm64/ipxe.efi"))).containsExactly(7);
    }
}
