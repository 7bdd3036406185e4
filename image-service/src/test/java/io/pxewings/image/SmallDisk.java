package io.pxewings.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A blob store on a disk that really fills: an 8 MiB tmpfs mounted for the test (as root, as
 * every suite test that makes namespaces is), so a write past it gets the kernel's own ENOSPC
 * rather than an error the test made up.
 */
public class SmallDisk implements QuarkusTestResourceLifecycleManager {

    static final long BYTES = 8L << 20;
    static final Path ROOT = Path.of("target/wings-test/small-disk-" + ProcessHandle.current().pid()).toAbsolutePath();

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(ROOT);
            run(List.of("mount", "-t", "tmpfs", "-o", "size=" + BYTES + ",mode=0700", "tmpfs", ROOT.toString()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("mounting an 8 MiB tmpfs at " + ROOT + " (needs root): " + e.getMessage(), e);
        }
        return Map.of("wings.image.blob-store", ROOT.toString());
    }

    @Override
    public void stop() {
        try {
            run(List.of("umount", "--lazy", ROOT.toString()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("unmounting " + ROOT + ": " + e.getMessage(), e);
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": " + new String(p.getInputStream().readAllBytes()).trim());
        }
    }
}
