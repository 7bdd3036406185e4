package io.pxewings.httpboot.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Maps the raw request path under {@code /files/} to a regular file inside the root, or refuses.
 * Percent-decoding (RFC 3986 §2.1) happens here, exactly once, and the decoded path is checked
 * segment by segment: no {@code ..} or {@code .}, no empty segment, no encoded slash or backslash,
 * no NUL or control character, valid UTF-8 only. The file's real path (symlinks resolved) must
 * still be inside the root's real path, so a link out of the root is refused like {@code ..}.
 */
public final class FilePaths {

    /** Why a path was refused: {@code badRequest} paths are a 400, the others a 404. */
    public static final class Refused extends Exception {
        private final boolean badRequest;

        Refused(boolean badRequest, String message) {
            super(message, null, false, false);
            this.badRequest = badRequest;
        }

        public boolean badRequest() {
            return badRequest;
        }
    }

    static final int MAX_PATH = 1024;

    /** A file that may be served, with the attributes read while checking it (size, mtime): no second stat. */
    public record Resolved(Path path, BasicFileAttributes attributes) {
    }

    private final Path root;

    public FilePaths(Path root) throws IOException {
        this.root = root.toRealPath();
    }

    public Path root() {
        return root;
    }

    /** @param raw the path after {@code /files/}, as it came on the request line (still percent-encoded) */
    public Resolved resolve(String raw) throws Refused {
        if (raw.isEmpty()) {
            throw new Refused(true, "no file named");
        }
        if (raw.length() > MAX_PATH) {
            throw new Refused(true, "path longer than " + MAX_PATH + " characters");
        }
        Path p = root;
        for (String encoded : raw.split("/", -1)) {
            String segment = decode(encoded);
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new Refused(true, "path segments may not be empty, '.' or '..'");
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c == '/' || c == '\\' || Character.isISOControl(c)) {
                    throw new Refused(true, "path contains an encoded slash, a backslash or a control character");
                }
            }
            p = p.resolve(segment);
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            throw new Refused(false, "no such file");
        } catch (IOException e) {
            throw new Refused(false, "cannot read the file");
        }
        if (!real.startsWith(root)) {
            throw new Refused(false, "no such file");   // a link out of the root: as if it were not there
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new Refused(false, "cannot read the file");
        }
        if (!attributes.isRegularFile() || !Files.isReadable(real)) {
            throw new Refused(false, "not a readable file");
        }
        return new Resolved(real, attributes);
    }

    /** RFC 3986 percent-decoding into UTF-8; a malformed escape or invalid UTF-8 is refused, never guessed. */
    static String decode(String s) throws Refused {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                continue;
            }
            if (i + 2 >= s.length()) {
                throw new Refused(true, "malformed percent-encoding");
            }
            int hi = Character.digit(s.charAt(i + 1), 16);
            int lo = Character.digit(s.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new Refused(true, "malformed percent-encoding");
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Refused(true, "path is not valid UTF-8");
        }
    }
}
