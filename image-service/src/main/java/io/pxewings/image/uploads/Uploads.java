package io.pxewings.image.uploads;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.pxewings.image.store.BlobStore;
import io.pxewings.image.store.Digest;

/**
 * Resumable uploads in the shape of the OCI distribution spec (§ "Pushing a blob in chunks"): an
 * upload is opened, takes chunks that must each start where the last ended (a gap or an overlap is
 * refused), and is completed with the digest the client expects. Bytes go to disk as they
 * arrive and are hashed on the way: nothing holds an image in memory. A completed upload whose
 * digest differs is deleted, never stored. Sessions survive a restart as their files do (the
 * hash is then computed again from the file at completion).
 */
public final class Uploads {

    /** An upload in progress. {@code digest} is null when it must be computed from the file (after a restart). */
    static final class Session {
        final String id;
        final Path file;
        long offset;
        MessageDigest digest;
        Instant touched;
        boolean busy;

        Session(String id, Path file, long offset, MessageDigest digest) {
            this.id = id;
            this.file = file;
            this.offset = offset;
            this.digest = digest;
            this.touched = Instant.now();
        }
    }

    /** A chunk that does not start where the upload stands (RFC 9110 §14.4 Content-Range). */
    public static final class OutOfOrder extends Exception {
        public final long offset;

        OutOfOrder(long offset, String message) {
            super(message, null, false, false);
            this.offset = offset;
        }
    }

    /** The completed bytes are not what the client said. */
    public static final class DigestMismatch extends Exception {
        DigestMismatch(String message) {
            super(message, null, false, false);
        }
    }

    private final BlobStore store;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public Uploads(BlobStore store) throws IOException {
        this.store = store;
        try (Stream<Path> files = Files.list(store.upload("x").getParent())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String id = f.getFileName().toString();
                if (id.matches("[0-9a-f-]{36}")) {
                    sessions.put(id, new Session(id, f, Files.size(f), null));
                }
            }
        }
    }

    public String open() throws IOException {
        String id = UUID.randomUUID().toString();
        Path f = store.upload(id);
        Files.createFile(f);
        sessions.put(id, new Session(id, f, 0, sha256()));
        return id;
    }

    public Optional<Long> offset(String id) {
        Session s = sessions.get(id);
        return s == null ? Optional.empty() : Optional.of(s.offset);
    }

    /**
     * Takes the upload for a chunk starting at {@code start} (the next byte it expects, when the
     * client does not say). One chunk at a time per upload.
     *
     * @return the file and its hash, to write the chunk to; {@link #chunkDone} after it
     */
    public synchronized Chunk begin(String id, Long start) throws OutOfOrder {
        Session s = sessions.get(id);
        if (s == null) {
            return null;
        }
        if (s.busy) {
            throw new OutOfOrder(s.offset, "a chunk of this upload is being written; send the next after it");
        }
        if (start != null && start != s.offset) {
            throw new OutOfOrder(s.offset, (start > s.offset ? "a gap" : "an overlap") + ": the chunk starts at " + start
                    + ", the upload has " + s.offset + " bytes");
        }
        s.busy = true;
        s.touched = Instant.now();
        return new Chunk(s.id, s.file, s.offset, s.digest);
    }

    /** What a chunk is written to. */
    public record Chunk(String id, Path file, long offset, MessageDigest digest) {
    }

    /** The chunk ended: {@code written} bytes more (all of them hashed into the session's digest), or it failed. */
    public synchronized void chunkDone(Chunk c, long written, boolean ok) throws IOException {
        Session s = sessions.get(c.id());
        if (s == null) {
            return;
        }
        s.busy = false;
        s.touched = Instant.now();
        if (ok) {
            s.offset += written;
        } else {
            // A broken chunk: cut the file back to the last whole chunk and hash from the file at the end.
            try (var ch = java.nio.channels.FileChannel.open(s.file, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(s.offset);
            }
            s.digest = null;
        }
    }

    /**
     * Completes the upload: its digest must be {@code expected}; then it is a blob. Blocking (it
     * may hash the whole file, and fsyncs): call it off the event loop.
     */
    public Digest complete(String id, Digest expected) throws IOException, DigestMismatch {
        Session s;
        synchronized (this) {
            s = sessions.get(id);
            if (s == null) {
                return null;
            }
            if (s.busy) {
                throw new IOException("a chunk of this upload is still being written");
            }
            sessions.remove(id);
        }
        Digest actual = s.digest != null ? Digest.of(s.digest.digest()) : hash(s.file);
        if (!actual.equals(expected)) {
            Files.deleteIfExists(s.file);
            throw new DigestMismatch("the upload's " + s.offset + " bytes are " + actual + ", not " + expected + ": discarded");
        }
        store.commit(s.file, actual);
        return actual;
    }

    public boolean cancel(String id) throws IOException {
        Session s = sessions.remove(id);
        if (s == null) {
            return false;
        }
        Files.deleteIfExists(s.file);
        return true;
    }

    /** Deletes uploads untouched for {@code timeout}; returns how many. */
    public int expire(Duration timeout) throws IOException {
        Instant cut = Instant.now().minus(timeout);
        int n = 0;
        for (Session s : sessions.values()) {
            boolean stale;
            synchronized (this) {
                stale = !s.busy && s.touched.isBefore(cut);
            }
            if (stale && cancel(s.id)) {
                n++;
            }
        }
        return n;
    }

    public int inProgress() {
        return sessions.size();
    }

    public static Digest hash(Path file) throws IOException {
        MessageDigest d = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                d.update(buf, 0, n);
            }
        }
        return Digest.of(d.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
