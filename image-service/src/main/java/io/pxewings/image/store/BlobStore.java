package io.pxewings.image.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Blobs on local disk, addressed by their SHA-256: {@code <root>/sha256/<2 hex>/<64 hex>}. A blob
 * is made visible only by renaming a complete, fsynced file into place (and the directory is
 * fsynced after), so a reader never sees half a blob and a crash leaves none. Uploads in progress
 * live in {@code <root>/uploads}.
 */
public final class BlobStore {

    private final Path root;
    private final Path blobs;
    private final Path uploads;

    public BlobStore(Path root) throws IOException {
        this.root = root.toAbsolutePath();
        this.blobs = Files.createDirectories(this.root.resolve("sha256"));
        this.uploads = Files.createDirectories(this.root.resolve("uploads"));
    }

    public Path root() {
        return root;
    }

    public Path path(Digest d) {
        return blobs.resolve(d.hex().substring(0, 2)).resolve(d.hex());
    }

    public boolean has(Digest d) {
        return Files.isRegularFile(path(d));
    }

    public Optional<Long> size(Digest d) {
        try {
            return Optional.of(Files.size(path(d)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Bytes this store's filesystem can still take (0 when it cannot be read). */
    public long usableBytes() {
        try {
            return Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Where upload {@code id}'s bytes go until it completes. */
    public Path upload(String id) {
        return uploads.resolve(id);
    }

    /**
     * Makes {@code file} (whose digest the caller checked) the blob {@code d}: fsync, rename into
     * place, fsync the directory. A blob that exists already stays; {@code file} is deleted.
     */
    public Path commit(Path file, Digest d) throws IOException {
        Path target = path(d);
        if (Files.isRegularFile(target)) {
            Files.deleteIfExists(file);
            touch(d);
            return target;
        }
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Path dir = Files.createDirectories(target.getParent());
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the blob store and its uploads must be on one filesystem: " + root, e);
        }
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        }
        return target;
    }

    /** Marks a blob used now (cache eviction is least recently used). */
    public void touch(Digest d) {
        try {
            Files.setLastModifiedTime(path(d), FileTime.from(Instant.now()));
        } catch (IOException e) {
            // gone meanwhile: nothing to mark
        }
    }

    public boolean delete(Digest d) throws IOException {
        return Files.deleteIfExists(path(d));
    }

    /** Every blob with its size and last use. */
    public List<Stored> list() throws IOException {
        List<Stored> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(blobs, 2)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = p.getFileName().toString();
                if (name.matches("[0-9a-f]{64}")) {
                    out.add(new Stored(new Digest(name), Files.size(p), Files.getLastModifiedTime(p).toInstant()));
                }
            }
        }
        return out;
    }

    /** A blob on disk. */
    public record Stored(Digest digest, long size, Instant lastUsed) {
    }
}
