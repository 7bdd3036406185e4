package io.pxewings.tftp.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

import io.pxewings.tftp.transfer.Source;

/**
 * Files as transfers read them. Files up to {@code maxFileBytes} are held in memory, least
 * recently used first out once {@code maxBytes} is reached, so a boot storm of thousands of
 * machines fetching the same bootloader reads it from disk once. An entry is keyed by path, size
 * and modification time: a replaced file is read afresh. Larger files are read per window.
 * Event-loop only (not thread-safe).
 */
public final class FileCache {

    /** How a file is sent (RFC 1350 §1 modes). */
    public enum Mode { OCTET, NETASCII }

    /** A transfer's source; {@link #close} releases a file handle when there is one. */
    public interface Handle extends Source, AutoCloseable {
        @Override
        void close();
    }

    private record Key(Path path, long size, long modified, Mode mode) {
    }

    private final long maxBytes;
    private final long maxFileBytes;
    private long cachedBytes;
    private long hits;
    private long misses;
    private final Map<Key, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);

    public FileCache(long maxBytes, long maxFileBytes) {
        this.maxBytes = maxBytes;
        this.maxFileBytes = maxFileBytes;
    }

    public Handle open(Path file, Mode mode) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        Key key = new Key(file, a.size(), a.lastModifiedTime().toMillis(), mode);
        byte[] cached = entries.get(key);
        if (cached != null) {
            hits++;
            return memory(cached);
        }
        misses++;
        if (mode == Mode.NETASCII) {
            if (a.size() > maxFileBytes) {
                throw new IOException("netascii is offered for files up to " + maxFileBytes + " bytes only");
            }
            return memory(remember(key, Netascii.encode(Files.readAllBytes(file))));
        }
        if (a.size() <= maxFileBytes) {
            return memory(remember(key, Files.readAllBytes(file)));
        }
        return new ReadAheadFile(FileChannel.open(file, StandardOpenOption.READ), a.size());
    }

    private byte[] remember(Key key, byte[] bytes) {
        if (bytes.length > maxFileBytes || bytes.length > maxBytes) {
            return bytes;
        }
        // An older version of the same file goes first, then the least recently used.
        var it = entries.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().path().equals(key.path()) && e.getKey().mode() == key.mode()) {
                cachedBytes -= e.getValue().length;
                it.remove();
            }
        }
        it = entries.entrySet().iterator();
        while (cachedBytes + bytes.length > maxBytes && it.hasNext()) {
            cachedBytes -= it.next().getValue().length;
            it.remove();
        }
        entries.put(key, bytes);
        cachedBytes += bytes.length;
        return bytes;
    }

    private static Handle memory(byte[] bytes) {
        Source s = Source.of(bytes);
        return new Handle() {
            @Override
            public long size() {
                return s.size();
            }

            @Override
            public int read(long position, byte[] into, int offset, int length) throws IOException {
                return s.read(position, into, offset, length);
            }

            @Override
            public void close() {
            }
        };
    }

    public long cachedBytes() {
        return cachedBytes;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
