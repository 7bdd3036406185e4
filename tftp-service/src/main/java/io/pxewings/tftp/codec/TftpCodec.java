package io.pxewings.tftp.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * TFTP wire format, pure Java. RFC 1350 §5 (RRQ, WRQ, DATA, ACK, ERROR), RFC 2347 §2 (options in
 * requests, OACK, the 512-octet request limit). Strings are bytes mapped one to one
 * (ISO-8859-1), so any filename round-trips and no charset can throw.
 */
public final class TftpCodec {

    /** RFC 2347 §2: a request, options included, must fit in 512 octets. */
    public static final int MAX_REQUEST = 512;

    private TftpCodec() {
    }

    public static TftpPacket decode(byte[] buf) throws MalformedTftpException {
        return decode(buf, 0, buf.length);
    }

    public static TftpPacket decode(byte[] buf, int offset, int length) throws MalformedTftpException {
        if (length < 2) {
            throw new MalformedTftpException(DropReason.TRUNCATED, "shorter than an opcode: " + length + " bytes");
        }
        int end = offset + length;
        int op = u16(buf, offset);
        int p = offset + 2;
        switch (op) {
            case TftpPacket.RRQ, TftpPacket.WRQ -> {
                if (length > MAX_REQUEST) {
                    throw new MalformedTftpException(DropReason.OVERSIZED_REQUEST, "request of " + length + " bytes");
                }
                Cursor c = new Cursor(buf, p, end);
                String filename = c.string("filename");
                String mode = c.string("mode");
                return new TftpPacket.Request(op, filename, mode, pairs(c));
            }
            case TftpPacket.DATA -> {
                if (length < 4) {
                    throw new MalformedTftpException(DropReason.TRUNCATED, "DATA without a block number");
                }
                return new TftpPacket.Data(u16(buf, p), buf, p + 2, end - p - 2);
            }
            case TftpPacket.ACK -> {
                if (length < 4) {
                    throw new MalformedTftpException(DropReason.TRUNCATED, "ACK without a block number");
                }
                if (length > 4) {
                    throw new MalformedTftpException(DropReason.TRAILING_BYTES, "ACK of " + length + " bytes");
                }
                return new TftpPacket.Ack(u16(buf, p));
            }
            case TftpPacket.ERROR -> {
                if (length < 4) {
                    throw new MalformedTftpException(DropReason.TRUNCATED, "ERROR without a code");
                }
                int code = u16(buf, p);
                int q = p + 2;
                int nul = q;
                while (nul < end && buf[nul] != 0) {
                    nul++;
                }
                // A peer's error ends the transfer either way: a message without its NUL is read to the end.
                String message = new String(buf, q, nul - q, StandardCharsets.ISO_8859_1);
                String text = ErrorCode.of(code).code() == code ? message : "(code " + code + ") " + message;
                return new TftpPacket.Error(ErrorCode.of(code), text);
            }
            case TftpPacket.OACK -> {
                return new TftpPacket.OptionAck(pairs(new Cursor(buf, p, end)));
            }
            default -> throw new MalformedTftpException(DropReason.UNKNOWN_OPCODE, "opcode " + op);
        }
    }

    /** Option name/value pairs up to the end; trailing NUL padding is tolerated. */
    private static Map<String, String> pairs(Cursor c) throws MalformedTftpException {
        Map<String, String> options = new LinkedHashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (c.hasMore()) {
            if (c.onlyNulsLeft()) {
                break;
            }
            String name = c.string("option name");
            String value = c.string("value of option " + name);
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw new MalformedTftpException(DropReason.DUPLICATE_OPTION, "option " + name + " twice");
            }
            options.put(name, value);
        }
        return options;
    }

    public static byte[] encode(TftpPacket packet) {
        if (packet instanceof TftpPacket.Data d) {
            return data(d.block(), d.payload(), d.offset(), d.length());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(packet.opcode() >> 8);
        out.write(packet.opcode());
        if (packet instanceof TftpPacket.Request r) {
            string(out, r.filename());
            string(out, r.mode());
            r.options().forEach((k, v) -> {
                string(out, k);
                string(out, v);
            });
        } else if (packet instanceof TftpPacket.Ack a) {
            out.write(a.block() >> 8);
            out.write(a.block());
        } else if (packet instanceof TftpPacket.Error e) {
            out.write(e.code().code() >> 8);
            out.write(e.code().code());
            string(out, e.message());
        } else if (packet instanceof TftpPacket.OptionAck o) {
            o.options().forEach((k, v) -> {
                string(out, k);
                string(out, v);
            });
        }
        return out.toByteArray();
    }

    /** A DATA packet straight from a file's bytes: one copy, no intermediate record. */
    public static byte[] data(int block, byte[] src, int offset, int length) {
        byte[] out = dataPacket(block, length);
        System.arraycopy(src, offset, out, 4, length);
        return out;
    }

    /**
     * A DATA packet with its header written and room for {@code length} payload bytes at offset 4,
     * for the caller to read a file into directly. {@code block} is taken modulo 65536.
     */
    public static byte[] dataPacket(long block, int length) {
        byte[] out = new byte[4 + length];
        out[1] = TftpPacket.DATA;
        out[2] = (byte) (block >> 8);
        out[3] = (byte) block;
        return out;
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
        out.write(0);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    /** Reads NUL-terminated strings of a request. */
    private static final class Cursor {
        private final byte[] buf;
        private final int end;
        private int p;

        Cursor(byte[] buf, int p, int end) {
            this.buf = buf;
            this.p = p;
            this.end = end;
        }

        boolean hasMore() {
            return p < end;
        }

        boolean onlyNulsLeft() {
            for (int i = p; i < end; i++) {
                if (buf[i] != 0) {
                    return false;
                }
            }
            return true;
        }

        String string(String what) throws MalformedTftpException {
            int start = p;
            while (p < end && buf[p] != 0) {
                int b = buf[p] & 0xff;
                if (b < 0x20 || b == 0x7f) {
                    throw new MalformedTftpException(DropReason.BAD_STRING, what + " holds control character " + b);
                }
                p++;
            }
            if (p >= end) {
                throw new MalformedTftpException(DropReason.MISSING_NUL, what + " is not NUL-terminated");
            }
            if (p == start) {
                throw new MalformedTftpException(DropReason.BAD_STRING, what + " is empty");
            }
            String s = new String(buf, start, p - start, StandardCharsets.ISO_8859_1);
            p++;
            return s;
        }
    }
}
