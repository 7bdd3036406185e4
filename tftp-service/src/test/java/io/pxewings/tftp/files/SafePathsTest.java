package io.pxewings.tftp.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pxewings.tftp.codec.ErrorCode;

class SafePathsTest {

    @TempDir
    Path dir;

    @Test
    void servesOnlyRegularFilesUnderTheRoot() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("efi"));
        Files.writeString(root.resolve("efi/ipxe.efi"), "x");
        Files.writeString(root.resolve("%2e%2e"), "literal");
        Files.writeString(dir.resolve("secret"), "no");
        Files.createSymbolicLink(root.resolve("out"), dir.resolve("secret"));
        Files.createSymbolicLink(root.resolve("in"), root.resolve("efi/ipxe.efi"));
        SafePaths p = new SafePaths(root);
        Path real = root.toRealPath();

        assertThat(p.resolve("efi/ipxe.efi")).isEqualTo(real.resolve("efi/ipxe.efi"));
        assertThat(p.resolve("/efi/ipxe.efi")).as("a leading slash is relative to the root").isEqualTo(real.resolve("efi/ipxe.efi"));
        assertThat(p.resolve("\\efi\\ipxe.efi")).as("backslashes read as slashes").isEqualTo(real.resolve("efi/ipxe.efi"));
        assertThat(p.resolve("in")).as("a link that stays inside").isEqualTo(real.resolve("efi/ipxe.efi"));
        assertThat(p.resolve("%2e%2e")).as("no percent-decoding").isEqualTo(real.resolve("%2e%2e"));

        refused(p, "../secret", ErrorCode.ACCESS_VIOLATION);
        refused(p, "../../etc/passwd", ErrorCode.ACCESS_VIOLATION);
        refused(p, "..\\..\\etc\\passwd", ErrorCode.ACCESS_VIOLATION);
        refused(p, "efi/../../secret", ErrorCode.ACCESS_VIOLATION);
        refused(p, "out", ErrorCode.ACCESS_VIOLATION);
        refused(p, "/etc/passwd", ErrorCode.FILE_NOT_FOUND);
        refused(p, "%2e%2e/secret", ErrorCode.FILE_NOT_FOUND);
        refused(p, "efi", ErrorCode.FILE_NOT_FOUND);
        refused(p, "/", ErrorCode.FILE_NOT_FOUND);
        refused(p, "missing", ErrorCode.FILE_NOT_FOUND);
    }

    static void refused(SafePaths p, String name, ErrorCode code) {
        assertThatThrownBy(() -> p.resolve(name)).as(name).isInstanceOfSatisfying(SafePaths.Refused.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
