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
}
