package io.pxewings.dhcp.codec;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes DHCP messages (RFC 2131 §2 and §3, RFC 2132 options, RFC 3396 long options).
 * Pure and thread-safe; bad input raises {@link MalformedPacketException} with its drop reason.
 */
public final class DhcpCodec {

    /** RFC 2131 §3: 99.130.83.99 at the start of the options field. */
    static final byte[] MAGIC_COOKIE = {99, (byte) 130, 83, 99};
    static final int FIXED_HEADER = 236;
    static final int OPTIONS_OFFSET = FIXED_HEADER + 4;
    static final int SNAME_OFFSET = 44;
    static final int SNAME_LENGTH = 64;
    static final int FILE_OFFSET = 108;
    static final int FILE_LENGTH = 128;
    /** RFC 2131 §2: every client accepts 576-byte messages; larger ones need option 57. */
    public static final int DEFAULT_MAX_MESSAGE = 576;
    /** RFC 1542 §3.3 / RFC 951: BOOTP messages are at least 300 octets; some relays drop shorter. */
    static final int MIN_MESSAGE = 300;
    /** Far more than any client sends (PXE ROMs send about 20): beyond it, a deliberate flood. */
    static final int MAX_OPTIONS = 512;

    private DhcpCodec() {
    }

    public static DhcpPacket decode(byte[] data) throws MalformedPacketException {
        return decode(data, 0, data.length);
    }

    public static DhcpPacket decode(byte[] data, int offset, int length) throws MalformedPacketException {
        if (length < OPTIONS_OFFSET) {
            throw new MalformedPacketException(DropReason.TRUNCATED, length + " bytes, need at least " + OPTIONS_OFFSET);
        }
        byte[] b = offset == 0 && length == data.length ? data : Arrays.copyOfRange(data, offset, offset + length);
        if (!Arrays.equals(b, FIXED_HEADER, OPTIONS_OFFSET, MAGIC_COOKIE, 0, 4)) {
            throw new MalformedPacketException(DropReason.BAD_MAGIC_COOKIE, Hex.of(Arrays.copyOfRange(b, FIXED_HEADER, OPTIONS_OFFSET)));
        }
        int hlen = b[2] & 0xff;
        if (hlen == 0 || hlen > 16) {
            throw new MalformedPacketException(DropReason.BAD_HLEN, "hlen " + hlen);
        }
        DhcpOptions.Builder options = DhcpOptions.builder();
        int[] count = {0};
        int overload = parseOptions(b, OPTIONS_OFFSET, b.length, options, true, count);
        // RFC 2131 §4.1: 'file' is read next, then 'sname'; option 52 counts only in 'options',
        // so an overload inside an overloaded field cannot loop.
        if ((overload & 1) != 0) {
            parseOptions(b, FILE_OFFSET, FILE_OFFSET + FILE_LENGTH, options, false, count);
        }
        if ((overload & 2) != 0) {
            parseOptions(b, SNAME_OFFSET, SNAME_OFFSET + SNAME_LENGTH, options, false, count);
        }
        return DhcpPacket.builder()
                .op(b[0] & 0xff).htype(b[1] & 0xff).hlen(hlen).hops(b[3] & 0xff)
                .xid(int32(b, 4)).secs(int16(b, 8)).flags(int16(b, 10))
                .ciaddr(DhcpOptions.toIp(b, 12)).yiaddr(DhcpOptions.toIp(b, 16))
                .siaddr(DhcpOptions.toIp(b, 20)).giaddr(DhcpOptions.toIp(b, 24))
                .chaddr(Arrays.copyOfRange(b, 28, 44))
                .sname((overload & 2) != 0 ? "" : text(b, SNAME_OFFSET, SNAME_LENGTH))
                .file((overload & 1) != 0 ? "" : text(b, FILE_OFFSET, FILE_LENGTH))
                .options(options.build())
                .build();
    }

    /**
     * Checks what a server needs before acting on a decoded message: a BOOTREQUEST carrying a DHCP
     * message type (RFC 2131 §3; plain BOOTP is not served).
     */
    public static MessageType requireRequest(DhcpPacket p) throws MalformedPacketException {
        if (p.op() != DhcpPacket.BOOTREQUEST) {
            throw new MalformedPacketException(DropReason.NOT_A_REQUEST, "op " + p.op());
        }
        return p.messageType().orElseThrow(() -> new MalformedPacketException(DropReason.BAD_MESSAGE_TYPE,
                "option 53 " + p.options().bytes(OptionCode.MESSAGE_TYPE).map(Hex::of).orElse("missing")));
    }

    /** @return the option-overload value found (0 when none or when not allowed in this field) */
    private static int parseOptions(byte[] b, int from, int to, DhcpOptions.Builder options, boolean main, int[] count)
            throws MalformedPacketException {
        int overload = 0;
        int i = from;
        while (i < to) {
            int code = b[i] & 0xff;
            if (code == OptionCode.PAD) {
                i++;
                continue;
            }
            if (code == OptionCode.END) {
                break;
            }
            if (i + 1 >= to) {
                throw new MalformedPacketException(DropReason.OPTION_OVERRUN, "option " + code + " has no length at " + i);
            }
            int len = b[i + 1] & 0xff;
            if (i + 2 + len > to) {
                throw new MalformedPacketException(DropReason.OPTION_OVERRUN,
                        "option " + code + " length " + len + " runs past the end at " + i);
            }
            if (++count[0] > MAX_OPTIONS) {
                throw new MalformedPacketException(DropReason.TOO_MANY_OPTIONS, "more than " + MAX_OPTIONS + " options");
            }
            if (code == OptionCode.OVERLOAD) {
                if (main) {
                    if (len != 1 || (b[i + 2] & 0xff) < 1 || (b[i + 2] & 0xff) > 3) {
                        throw new MalformedPacketException(DropReason.BAD_OVERLOAD, "option 52 = " + Hex.of(Arrays.copyOfRange(b, i + 2, i + 2 + len)));
                    }
                    overload = b[i + 2] & 0xff;
                }
            } else {
                // RFC 3396 §7: instances of one code are concatenated in the order met.
                options.append(code, b, i + 2, len);
            }
            i += 2 + len;
        }
        return overload;
    }

    /** Encodes for a client that accepts {@link #DEFAULT_MAX_MESSAGE} bytes. */
    public static byte[] encode(DhcpPacket p) {
        return encode(p, DEFAULT_MAX_MESSAGE);
    }

    /**
     * Encodes a message of at most {@code maxMessage} bytes. Options longer than 255 bytes are
     * split into consecutive instances (RFC 3396 §5); options that do not fit the options field
     * continue in 'file' and then 'sname' when those are empty (RFC 2132 §9.3).
     *
     * @throws IllegalArgumentException when the options do not fit even so
     */
    public static byte[] encode(DhcpPacket p, int maxMessage) {
        List<byte[]> chunks = chunks(p.options());
        int optionsRoom = maxMessage - OPTIONS_OFFSET;
        int total = 1;
        for (byte[] c : chunks) {
            total += c.length;
        }
        byte[] out;
        int overload = 0;
        if (total <= optionsRoom) {
            out = new byte[Math.max(MIN_MESSAGE, OPTIONS_OFFSET + total)];
            int end = write(chunks, out, OPTIONS_OFFSET);
            out[end] = (byte) OptionCode.END;
        } else {
            List<Region> regions = new ArrayList<>();
            // The options field keeps room for option 52 (3 bytes) and END.
            regions.add(new Region(OPTIONS_OFFSET + 3, OPTIONS_OFFSET + optionsRoom - 1));
            if (p.file().isEmpty()) {
                regions.add(new Region(FILE_OFFSET, FILE_OFFSET + FILE_LENGTH - 1));
                overload |= 1;
            }
            if (p.sname().isEmpty()) {
                regions.add(new Region(SNAME_OFFSET, SNAME_OFFSET + SNAME_LENGTH - 1));
                overload |= 2;
            }
            out = new byte[maxMessage];
            fill(chunks, regions, out);
            out[OPTIONS_OFFSET] = (byte) OptionCode.OVERLOAD;
            out[OPTIONS_OFFSET + 1] = 1;
            out[OPTIONS_OFFSET + 2] = (byte) overload;
            int used = 0;
            for (Region r : regions) {
                out[r.position] = (byte) OptionCode.END;
                used = Math.max(used, r.position + 1);
            }
            out = Arrays.copyOf(out, Math.max(MIN_MESSAGE, used));
        }
        header(p, out, overload);
        return out;
    }

    private static void header(DhcpPacket p, byte[] out, int overload) {
        out[0] = (byte) p.op();
        out[1] = (byte) p.htype();
        out[2] = (byte) p.hlen();
        out[3] = (byte) p.hops();
        putInt32(out, 4, p.xid());
        putInt16(out, 8, p.secs());
        putInt16(out, 10, p.flags());
        putIp(out, 12, p.ciaddr());
        putIp(out, 16, p.yiaddr());
        putIp(out, 20, p.siaddr());
        putIp(out, 24, p.giaddr());
        System.arraycopy(p.chaddr(), 0, out, 28, 16);
        if ((overload & 2) == 0) {
            putText(out, SNAME_OFFSET, SNAME_LENGTH, p.sname(), "sname");
        }
        if ((overload & 1) == 0) {
            putText(out, FILE_OFFSET, FILE_LENGTH, p.file(), "file");
        }
        System.arraycopy(MAGIC_COOKIE, 0, out, FIXED_HEADER, 4);
    }

    /** Each option as code-length-value instances of at most 255 value bytes (RFC 3396 §5). */
    private static List<byte[]> chunks(DhcpOptions options) {
        List<byte[]> out = new ArrayList<>();
        for (Map.Entry<Integer, byte[]> e : options.raw().entrySet()) {
            byte[] v = e.getValue();
            int pos = 0;
            do {
                int len = Math.min(255, v.length - pos);
                byte[] c = new byte[2 + len];
                c[0] = (byte) (int) e.getKey();
                c[1] = (byte) len;
                System.arraycopy(v, pos, c, 2, len);
                out.add(c);
                pos += len;
            } while (pos < v.length);
        }
        return out;
    }

    private static int write(List<byte[]> chunks, byte[] out, int at) {
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, out, at, c.length);
            at += c.length;
        }
        return at;
    }

    /** A field options may be written to; {@code limit} is where its END goes. */
    private static final class Region {
        int position;
        final int limit;

        Region(int position, int limit) {
            this.position = position;
            this.limit = limit;
        }

        int room() {
            return limit - position;
        }
    }

    /** Fills regions in order, splitting an instance across regions where needed (RFC 3396 allows it). */
    private static void fill(List<byte[]> chunks, List<Region> regions, byte[] out) {
        int r = 0;
        for (byte[] chunk : chunks) {
            int code = chunk[0] & 0xff;
            int pos = 2;
            int remaining = chunk.length - 2;
            while (remaining > 0 || pos == 2) {
                while (r < regions.size() && regions.get(r).room() < 3) {
                    r++;
                }
                if (r == regions.size()) {
                    throw new IllegalArgumentException("DHCP options do not fit in a message of " + out.length + " bytes");
                }
                Region region = regions.get(r);
                int len = Math.min(remaining, region.room() - 2);
                out[region.position] = (byte) code;
                out[region.position + 1] = (byte) len;
                System.arraycopy(chunk, pos, out, region.position + 2, len);
                region.position += 2 + len;
                pos += len;
                remaining -= len;
                if (remaining == 0) {
                    break;
                }
            }
        }
    }

    private static String text(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.ISO_8859_1);
    }

    private static void putText(byte[] out, int offset, int length, String text, String field) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length >= length) {
            throw new IllegalArgumentException(field + " holds " + (length - 1) + " bytes at most: " + text);
        }
        System.arraycopy(bytes, 0, out, offset, bytes.length);
    }

    private static int int32(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    private static int int16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static void putInt32(byte[] out, int i, int v) {
        out[i] = (byte) (v >>> 24);
        out[i + 1] = (byte) (v >>> 16);
        out[i + 2] = (byte) (v >>> 8);
        out[i + 3] = (byte) v;
    }

    private static void putInt16(byte[] out, int i, int v) {
        out[i] = (byte) (v >>> 8);
        out[i + 1] = (byte) v;
    }

    private static void putIp(byte[] out, int i, Inet4Address a) {
        System.arraycopy(a.getAddress(), 0, out, i, 4);
    }
}
