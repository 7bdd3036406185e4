package io.pxewings.image.formats;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.tukaani.xz.XZInputStream;

import com.github.luben.zstd.ZstdInputStream;

import io.pxewings.image.signing.Minisign;
import io.pxewings.image.store.Digest;
import io.pxewings.image.uploads.Uploads;

/**
 * One pass over a stored image: the stored bytes' SHA-256 (the blob must still be what its name
 * says: a bit flipped on disk shows here) and BLAKE2b-512 (what a minisign signature signs), and,
 * decompressing as it goes, the raw image's size and SHA-256 (what the agent checks on the disk).
 * Streams only: memory stays flat whatever the image's size.
 */
public final class ImageScan {

    /** Formats an image is stored in (raw, or compressed raw). */
    public enum Format {
        RAW("raw"), GZIP("raw.gz"), XZ("raw.xz"), ZSTD("raw.zst");

        public final String wire;

        Format(String wire) {
            this.wire = wire;
        }

        public static Format of(String wire) {
            for (Format f : values()) {
                if (f.wire.equals(wire)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("format must be raw, raw.gz, raw.xz or raw.zst");
        }
    }

    /** What the pass found. */
    public record Result(Digest stored, long size, byte[] blake2b, Digest raw, long rawSize) {
    }

    private ImageScan() {
    }

    /** Reads {@code file} once; a stream that is not in {@code format}, or is cut short, is an IOException. */
    public static Result scan(Path file, Format format) throws IOException {
        MessageDigest storedHash = Uploads.sha256();
        Blake2bDigest blake = Minisign.blake2b512();
        MessageDigest rawHash = Uploads.sha256();
        long[] storedSize = new long[1];
        long rawSize = 0;
        try (InputStream file0 = Files.newInputStream(file);
             InputStream tee = new FilterInputStream(file0) {
                 @Override
                 public int read() throws IOException {
                     int b = super.read();
                     if (b >= 0) {
                         storedHash.update((byte) b);
                         blake.update((byte) b);
                         storedSize[0]++;
                     }
                     return b;
                 }

                 @Override
                 public int read(byte[] buf, int off, int len) throws IOException {
                     int n = super.read(buf, off, len);
                     if (n > 0) {
                         storedHash.update(buf, off, n);
                         blake.update(buf, off, n);
                         storedSize[0] += n;
                     }
                     return n;
                 }
             };
             InputStream raw = decompress(tee, format)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = raw.read(buf)) > 0;) {
                rawHash.update(buf, 0, n);
                rawSize += n;
            }
            // Anything after the compressed stream's end is still the stored file's: hash it too.
            while (tee.read(buf) > 0) {
                // read for the stored digest only
            }
        }
        return new Result(Digest.of(storedHash.digest()), storedSize[0], Minisign.finish(blake), Digest.of(rawHash.digest()), rawSize);
    }

    /** The raw bytes of a stored image, streamed. */
    public static InputStream decompress(InputStream in, Format format) throws IOException {
        return switch (format) {
            case RAW -> in;
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case XZ -> new XZInputStream(in);
            case ZSTD -> new ZstdInputStream(in);
        };
    }
}
