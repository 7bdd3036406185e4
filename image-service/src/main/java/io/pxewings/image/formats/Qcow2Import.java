package io.pxewings.image.formats;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;

import io.pxewings.image.store.Digest;
import io.pxewings.image.uploads.Uploads;

/**
 * A qcow2 upload, converted once at import to what machines are written with: {@code raw.zst}.
 * {@code qemu-img convert} (Debian's qemu-utils: the reference implementation of the format)
 * writes a sparse raw file beside the store, which is then read once, hashed (the raw digest
 * the agent checks on the disk) and compressed with zstd into a second file, hashed too (the
 * stored digest). Memory stays flat: qemu-img converts cluster by cluster, and the rest is
 * streams. Disk: the raw file takes only the image's allocated clusters, and is deleted.
 *
 * <p>Before any conversion, {@code qemu-img info} must say the file is a qcow2 with no backing
 * file and no external data file: either would make qemu-img read a path on this machine that
 * the uploader chose. The format is always given ({@code -f qcow2}), never probed.
 */
public final class Qcow2Import {

    /** A conversion that cannot be done, for a reason the uploader can act on (a 4xx). */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The converted image, in {@code file} (raw.zst), not yet in the store. */
    public record Converted(Path file, Digest stored, long size, Digest raw, long rawSize) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** zstd level 6 with a worker per core: near level 19's ratio on disk images, at several times its speed. */
    static final int LEVEL = 6;

    private Qcow2Import() {
    }

    /**
     * @param qcow2          the uploaded blob
     * @param work           a directory on the store's filesystem (the converted file is moved from it)
     * @param maxVirtualSize the largest disk accepted
     * @param timeout        bound on each qemu-img run
     */
    public static Converted convert(Path qcow2, Path work, long maxVirtualSize, Duration timeout) throws IOException, Refused {
        JsonNode info;
        try {
            info = JSON.readTree(run(timeout, List.of("qemu-img", "info", "-f", "qcow2", "--output=json", qcow2.toString())));
        } catch (IOException e) {
            throw new Refused("not a qcow2 image: " + e.getMessage());
        }
        if (!"qcow2".equals(info.path("format").asText())) {
            throw new Refused("not a qcow2 image: qemu-img reads it as " + info.path("format").asText("nothing"));
        }
        if (info.hasNonNull("backing-filename") || info.hasNonNull("full-backing-filename")) {
            throw new Refused("the qcow2 image has a backing file (" + info.path("backing-filename").asText()
                    + "): upload a standalone image (qemu-img convert -O qcow2 without -B)");
        }
        if (info.path("format-specific").path("data").hasNonNull("data-file")) {
            throw new Refused("the qcow2 image names an external data file: upload a standalone image");
        }
        long virtual = info.path("virtual-size").asLong(-1);
        if (virtual <= 0 || virtual > maxVirtualSize) {
            throw new Refused("the qcow2 image's disk is " + virtual + " bytes: at most " + maxVirtualSize
                    + " (wings.image.import.max-virtual-size)");
        }
        String id = UUID.randomUUID().toString();
        Path raw = work.resolve("import-" + id + ".raw");
        Path zst = work.resolve("import-" + id + ".raw.zst");
        try {
            run(timeout, List.of("qemu-img", "convert", "-f", "qcow2", "-O", "raw", qcow2.toString(), raw.toString()));
            long rawSize = Files.size(raw);
            if (rawSize != virtual) {
                throw new IOException("qemu-img wrote " + rawSize + " bytes for a " + virtual + "-byte disk");
            }
            MessageDigest rawHash = Uploads.sha256();
            MessageDigest storedHash = Uploads.sha256();
            long[] stored = new long[1];
            try (InputStream in = Files.newInputStream(raw);
                 OutputStream file = new DigestOutputStream(new CountingOutput(Files.newOutputStream(zst), stored), storedHash);
                 ZstdOutputStream out = new ZstdOutputStream(file, LEVEL)) {
                out.setWorkers(Math.max(1, Runtime.getRuntime().availableProcessors()));
                out.setChecksum(true);
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; ) {
                    rawHash.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            return new Converted(zst, Digest.of(storedHash.digest()), stored[0], Digest.of(rawHash.digest()), rawSize);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(zst);
            throw e;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** Runs a command, bounded in time; its output, or an IOException with it when it fails. */
    static String run(Duration timeout, List<String> command) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(1 << 20);
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " " + command.get(1) + " did not finish in " + timeout.toSeconds() + " s");
            }
            String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(command.get(0) + " " + command.get(1) + " failed (exit " + p.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    /** Counts the bytes written through it. */
    private static final class CountingOutput extends java.io.FilterOutputStream {
        private final long[] count;

        CountingOutput(OutputStream out, long[] count) {
            super(out);
            this.count = count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count[0]++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count[0] += len;
        }
    }
}
