package io.pxewings.tftp.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.pxewings.tftp.codec.ErrorCode;

/**
 * Maps a requested filename to a file under the root, or refuses it. Nothing outside the root is
 * ever served:
 * <ul>
 * <li>backslashes read as slashes (Windows-style clients and PXE ROMs send {@code \boot\x});
 * <li>leading slashes are dropped, so {@code /etc/passwd} means {@code <root>/etc/passwd}, as a
 *     chrooted tftpd-hpa reads it (firmware often asks for {@code /undionly.kpxe});
 * <li>any {@code ..} segment is refused outright, rather than normalised away;
 * <li>the real path (symlinks resolved) must still be under the real root;
 * <li>names are not percent-decoded: {@code %2e%2e} is a file of that literal name.
 * </ul>
 */
public final class SafePaths {

    /** A refusal, with the TFTP error code the client gets. */
    public static final class Refused extends Exception {
        private final ErrorCode code;

        public Refused(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public ErrorCode code() {
            return code;
        }
    }

    private final Path realRoot;

    public SafePaths(Path root) throws IOException {
        this.realRoot = root.toRealPath();
    }

    public Path root() {
        return realRoot;
    }

    /** The regular file a request names, or a refusal (not found, or access violation). */
    public Path resolve(String requested) throws Refused {
        String name = requested.replace('\\', '/');
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        if (name.isEmpty()) {
            throw new Refused(ErrorCode.FILE_NOT_FOUND, "no file named");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new Refused(ErrorCode.ACCESS_VIOLATION, "'..' is not allowed in a path");
            }
        }
        Path candidate;
        try {
            candidate = realRoot.resolve(name).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new Refused(ErrorCode.FILE_NOT_FOUND, "not a valid path");
        }
        if (!candidate.startsWith(realRoot)) {
            throw new Refused(ErrorCode.ACCESS_VIOLATION, "outside the root");
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            throw new Refused(ErrorCode.FILE_NOT_FOUND, "file not found");
        } catch (java.nio.file.FileSystemException e) {
            // ENOTDIR ("a/b" where a is a file) arrives as a plain FileSystemException.
            boolean notDir = "Not a directory".equals(e.getReason());
            throw new Refused(notDir ? ErrorCode.FILE_NOT_FOUND : ErrorCode.ACCESS_VIOLATION, notDir ? "file not found" : "cannot be read");
        } catch (IOException e) {
            throw new Refused(ErrorCode.ACCESS_VIOLATION, "cannot be read");
        }
        if (!real.startsWith(realRoot)) {
            throw new Refused(ErrorCode.ACCESS_VIOLATION, "a link leads outside the root");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused(ErrorCode.FILE_NOT_FOUND, "not a regular file");
        }
        if (!Files.isReadable(real)) {
            throw new Refused(ErrorCode.ACCESS_VIOLATION, "not readable");
        }
        return real;
    }
}
