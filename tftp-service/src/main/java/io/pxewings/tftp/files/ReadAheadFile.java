package io.pxewings.tftp.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file too large for the cache, read in chunks of {@link #CHUNK} bytes: a window of 16 blocks of
 * 1468 bytes was 16 reads, one per block; now one read serves about three windows. Blocks resent
 * after a loss are usually still in the chunk. 64 KiB per transfer keeps 2000 concurrent large
 * transfers within 128 MiB.
 */
final class ReadAheadFile implements FileCache.Handle {

    static final int CHUNK = 64 * 1024;

    private final FileChannel channel;
    private final long size;
    private final byte[] chunk = new byte[CHUNK];
    private long chunkStart = -1;
    private int chunkLength;

    ReadAheadFile(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long position, byte[] into, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            long at = position + done;
            if (chunkStart < 0 || at < chunkStart || at >= chunkStart + chunkLength) {
                if (!fill(at)) {
                    break;   // end of file
                }
            }
            int from = (int) (at - chunkStart);
            int n = Math.min(length - done, chunkLength - from);
            System.arraycopy(chunk, from, into, offset + done, n);
            done += n;
        }
        return done;
    }

    private boolean fill(long at) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(chunk);
        while (b.hasRemaining()) {
            int n = channel.read(b, at + b.position());
            if (n < 0) {
                break;
            }
        }
        chunkStart = at;
        chunkLength = b.position();
        return chunkLength > 0;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to do for a read-only handle.
        }
    }
}
