package io.pxewings.image.store;

import java.io.IOException;

/**
 * The blob store's filesystem has no room for a write. Kept apart from other I/O errors because an
 * SRE acts on it differently (free or grow the disk, or lower the cache budget below the disk's
 * size), and because the HTTP answer is 507 Insufficient Storage (RFC 4918 section 11.5), not a
 * fault of the client or of the upstream.
 */
public final class DiskFull extends IOException {

    public DiskFull(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether {@code t}, or a cause of it, is the kernel's ENOSPC or EDQUOT. Java has no type for
     * them: {@code FileChannel} and Vert.x's {@code AsyncFile} both throw an {@code IOException}
     * whose message is the C library's strerror text.
     */
    public static boolean is(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DiskFull) {
                return true;
            }
            String m = c.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
