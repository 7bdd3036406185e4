package io.pxewings.httpboot.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePathsTest {

    @TempDir
    Path dir;

    @Test
    void filesInsideTheRootResolveAndNothingElseDoes() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("debian/12"));
        Files.writeString(root.resolve("debian/12/linux"), "k");
        Files.writeString(root.resolve("a b.efi"), "e");
        Files.writeString(dir.resolve("secret"), "s");
        Files.createSymbolicLink(root.resolve("escape"), dir.resolve("secret"));
        Files.createSymbolicLink(root.resolve("inside"), root.resolve("debian/12/linux"));
        FilePaths paths = new FilePaths(root);

        assertThat(paths.resolve("debian/12/linux").path()).isEqualTo(root.toRealPath().resolve("debian/12/linux"));
        assertThat(paths.resolve("a%20b.efi").path().getFileName().toString()).isEqualTo("a b.efi");
        assertThat(paths.resolve("inside").path()).as("a link that stays inside is followed")
                .isEqualTo(paths.resolve("debian/12/linux").path());

        for (String bad : new String[] {"../secret", "debian/../../secret", "%2e%2e/secret", "debian%2F..%2F..%2Fsecret",
                "..%5csecret", "debian//12/linux", "./debian/12/linux", "debian/12/linux%00", "%zz", "%e2%28%a1", "%",
                "", "a".repeat(FilePaths.MAX_PATH + 1)}) {
            assertThatThrownBy(() -> paths.resolve(bad)).as(bad).isInstanceOfSatisfying(FilePaths.Refused.class,
                    r -> assertThat(r.badRequest()).as("%s is a 400", bad).isTrue());
        }
        for (String missing : new String[] {"escape", "nothing-here", "debian/12", "debian"}) {
            assertThatThrownBy(() -> paths.resolve(missing)).as(missing).isInstanceOfSatisfying(FilePaths.Refused.class,
                    r -> assertThat(r.badRequest()).as("%s is a 404", missing).isFalse());
        }
    }
}
