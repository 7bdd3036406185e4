package io.pxewings.tftp.transfer;

import java.io.IOException;

/** The bytes a transfer sends: a cached file in memory, or a large file read per window. */
public interface Source {

    long size();

    /** Copies up to {@code length} bytes from {@code position}; returns how many. */
    int read(long position, byte[] into, int offset, int length) throws IOException;

    /** A file held in memory (the hot path: no read per block). */
    static Source of(byte[] bytes) {
        return new Source() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public int read(long position, byte[] into, int offset, int length) {
                int n = (int) Math.max(0, Math.min(length, bytes.length - position));
                System.arraycopy(bytes, (int) position, into, offset, n);
                return n;
            }
        };
    }
}
