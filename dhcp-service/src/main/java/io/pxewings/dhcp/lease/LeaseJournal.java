package io.pxewings.dhcp.lease;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import org.jboss.logging.Logger;

/**
 * The durable half of the lease store: an append-only file of lease records, each framed as
 * {@code length (4) | CRC-32C (4) | payload}, after an 8-byte file header.
 *
 * <p>One writer thread drains every append queued meanwhile, writes them and calls
 * {@code fsync} once (group commit): a lease's future completes only after its record is on
 * disk, and the ACK is sent only then. Compaction rewrites the live leases into a new file and
 * renames it over the old one atomically. Recovery replays records in order; a record whose
 * checksum fails is skipped and counted, and a torn or garbled tail (a crash mid-write) is cut
 * off and reported. Neither stops the server from starting.
 */
public final class LeaseJournal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseJournal.class);
    static final byte[] HEADER = {'W', 'L', 'J', '1', 0, 0, 0, 1};
    static final int MAX_RECORD = 4096;

    /** What recovery found. */
    public record Recovery(int records, int corruptRecords, long truncatedBytes, boolean headerReset) {
        public boolean clean() {
            return corruptRecords == 0 && truncatedBytes == 0 && !headerReset;
        }
    }

    private sealed interface Task permits Append, Compact, Stop {
    }

    private record Append(byte[] payload, CompletableFuture<Void> done) implements Task {
    }

    private record Compact(List<Lease> leases, CompletableFuture<Void> done) implements Task {
    }

    private record Stop() implements Task {
    }

    private final Path file;
    private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(65_536);
    private final Thread writer;
    private FileChannel channel;
    private volatile long size;
    private volatile long syncs;

    private LeaseJournal(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
        this.writer = new Thread(this::writeLoop, "lease-journal");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Opens (or creates) the journal, replaying every good record into {@code replay}. */
    public static LeaseJournal open(Path file, Consumer<Lease> replay, Consumer<Recovery> report) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Recovery recovery = recover(file, replay);
        if (!recovery.clean()) {
            LOG.warnf("lease journal %s: %d records replayed, %d corrupt records skipped, %d bytes of torn tail cut%s",
                    file, recovery.records(), recovery.corruptRecords(), recovery.truncatedBytes(),
                    recovery.headerReset() ? ", unreadable file moved aside" : "");
        }
        report.accept(recovery);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (ch.size() == 0) {
            ch.write(ByteBuffer.wrap(HEADER));
            ch.force(true);
        }
        ch.position(ch.size());
        return new LeaseJournal(file, ch);
    }

    static Recovery recover(Path file, Consumer<Lease> replay) throws IOException {
        if (!Files.exists(file)) {
            return new Recovery(0, 0, 0, false);
        }
        byte[] data = Files.readAllBytes(file);
        if (data.length < HEADER.length || !java.util.Arrays.equals(data, 0, HEADER.length, HEADER, 0, HEADER.length)) {
            if (data.length > 0) {
                Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + Instant.now().toEpochMilli());
                Files.move(file, aside);
                return new Recovery(0, 0, data.length, true);
            }
            return new Recovery(0, 0, 0, false);
        }
        ByteBuffer buf = ByteBuffer.wrap(data);
        buf.position(HEADER.length);
        int records = 0;
        int corrupt = 0;
        long goodEnd = buf.position();
        while (buf.remaining() >= 8) {
            int length = buf.getInt();
            int crc = buf.getInt();
            if (length <= 0 || length > MAX_RECORD || length > buf.remaining()) {
                break; // torn or garbled tail: nothing after it can be framed reliably
            }
            byte[] payload = new byte[length];
            buf.get(payload);
            goodEnd = buf.position();
            CRC32C check = new CRC32C();
            check.update(payload);
            if ((int) check.getValue() != crc) {
                corrupt++;
                continue;
            }
            try {
                replay.accept(LeaseRecordFormat.decode(payload));
                records++;
            } catch (IOException | RuntimeException e) {
                corrupt++;
            }
        }
        long truncated = data.length - goodEnd;
        if (truncated > 0) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(goodEnd);
                ch.force(true);
            }
        }
        return new Recovery(records, corrupt, truncated, false);
    }

    /** Queues a record; completes once it is on disk. */
    public CompletableFuture<Void> append(Lease lease) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!queue.offer(new Append(LeaseRecordFormat.encode(lease), done))) {
            done.completeExceptionally(new IOException("lease journal queue full"));
        }
        return done;
    }

    /** Replaces the file by one holding just these leases (taken by the store's owner thread). */
    public CompletableFuture<Void> compact(Collection<Lease> live) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!queue.offer(new Compact(List.copyOf(live), done))) {
            done.completeExceptionally(new IOException("lease journal queue full"));
        }
        return done;
    }

    public long size() {
        return size;
    }

    public long syncs() {
        return syncs;
    }

    private void writeLoop() {
        List<Task> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, 4095);
                List<CompletableFuture<Void>> written = new ArrayList<>();
                boolean stop = false;
                for (Task t : batch) {
                    if (t instanceof Append a) {
                        write(a.payload());
                        written.add(a.done());
                    } else if (t instanceof Compact c) {
                        sync(written);
                        rewrite(c.leases());
                        c.done().complete(null);
                    } else {
                        stop = true;
                    }
                }
                sync(written);
                batch.clear();
                if (stop) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "lease journal write failed");
                for (Task t : batch) {
                    if (t instanceof Append a) {
                        a.done().completeExceptionally(e);
                    } else if (t instanceof Compact c) {
                        c.done().completeExceptionally(e);
                    }
                }
                batch.clear();
            }
        }
    }

    private void write(byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(8 + payload.length);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        frame.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }

    private void sync(List<CompletableFuture<Void>> written) throws IOException {
        if (written.isEmpty()) {
            return;
        }
        channel.force(false);
        syncs++;
        size = channel.size();
        written.forEach(f -> f.complete(null));
        written.clear();
    }

    private void rewrite(List<Lease> leases) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".compact");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            FileChannel old = channel;
            channel = out;
            channel.write(ByteBuffer.wrap(HEADER));
            for (Lease l : leases) {
                write(LeaseRecordFormat.encode(l));
            }
            out.force(true);
            channel = old;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true); // the rename itself must survive a crash
        }
        channel.close();
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        channel.position(channel.size());
        size = channel.size();
    }

    @Override
    public void close() throws IOException {
        queue.offer(new Stop());
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
    }
}
