package io.pxewings.tftp.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCacheTest {

    @TempDir
    Path dir;

    @Test
    void holdsAtMostItsBytesAndAReplacedFileOnce() throws Exception {
        FileCache cache = new FileCache(250, 200);
        Path a = Files.write(dir.resolve("a"), new byte[100]);
        Path b = Files.write(dir.resolve("b"), new byte[100]);
        Path big = Files.write(dir.resolve("big"), new byte[300]);
        cache.open(a, FileCache.Mode.OCTET).close();
        cache.open(b, FileCache.Mode.OCTET).close();
        assertThat(cache.cachedBytes()).isEqualTo(200);

        Files.write(a, new byte[120]);
        Files.setLastModifiedTime(a, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        try (FileCache.Handle h = cache.open(a, FileCache.Mode.OCTET)) {
            assertThat(h.size()).as("a replaced file is read afresh").isEqualTo(120);
        }
        assertThat(cache.cachedBytes()).as("the old version left, b stays").isEqualTo(220);

        Path c = Files.write(dir.resolve("c"), new byte[100]);
        cache.open(c, FileCache.Mode.OCTET).close();
        assertThat(cache.cachedBytes()).as("least recently used out first").isLessThanOrEqualTo(250);

        try (FileCache.Handle h = cache.open(big, FileCache.Mode.OCTET)) {
            assertThat(h.size()).isEqualTo(300);
        }
        assertThat(cache.cachedBytes()).as("a file over the limit is read per window, not held").isLessThanOrEqualTo(250);
        assertThat(cache.misses()).isEqualTo(5);
    }

    @Test
    void aLargeFileReadsTheSameBytesInAnyOrderAcrossChunks() throws Exception {
        byte[] content = new byte[ReadAheadFile.CHUNK * 3 + 1000];
        new java.util.Random(7).nextBytes(content);
        Path big = Files.write(dir.resolve("big"), content);
        FileCache cache = new FileCache(1024, 1024);
        try (FileCache.Handle h = cache.open(big, FileCache.Mode.OCTET)) {
            assertThat(h).isInstanceOf(ReadAheadFile.class);
            int blksize = 1468;
            // forward over chunk boundaries, then back (a resent window), then the short last block
            long[] positions = {0, blksize, ReadAheadFile.CHUNK - 100, ReadAheadFile.CHUNK * 2L + 5, 3L * blksize,
                    content.length - 500};
            for (long p : positions) {
                byte[] into = new byte[4 + blksize];
                int n = h.read(p, into, 4, blksize);
                int expected = (int) Math.min(blksize, content.length - p);
                assertThat(n).as("bytes at %d", p).isEqualTo(expected);
                assertThat(java.util.Arrays.copyOfRange(into, 4, 4 + n))
                        .isEqualTo(java.util.Arrays.copyOfRange(content, (int) p, (int) p + n));
            }
            assertThat(h.read(content.length, new byte[10], 0, 10)).as("nothing past the end").isZero();
        }
    }
}
