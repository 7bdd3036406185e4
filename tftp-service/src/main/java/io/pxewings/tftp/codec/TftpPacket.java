package io.pxewings.tftp.codec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One TFTP packet (RFC 1350 §5, RFC 2347 §2 for options and OACK). Immutable; {@link TftpCodec}
 * turns it into bytes and back.
 */
public sealed interface TftpPacket {

    int RRQ = 1;
    int WRQ = 2;
    int DATA = 3;
    int ACK = 4;
    int ERROR = 5;
    /** RFC 2347 §2. */
    int OACK = 6;

    int opcode();

    /**
     * RRQ or WRQ: {@code filename 0 mode 0 [option 0 value 0]*}. Option names are kept as sent;
     * RFC 2347 makes them case-insensitive, so {@link #option} compares ignoring case.
     */
    record Request(int opcode, String filename, String mode, Map<String, String> options) implements TftpPacket {
        public Request {
            if (opcode != RRQ && opcode != WRQ) {
                throw new IllegalArgumentException("not a request opcode: " + opcode);
            }
            Objects.requireNonNull(filename);
            Objects.requireNonNull(mode);
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        public java.util.Optional<String> option(String name) {
            for (var e : options.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return java.util.Optional.of(e.getValue());
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** DATA: a 16-bit block number (it wraps in long transfers) and up to blksize bytes. */
    record Data(int block, byte[] payload, int offset, int length) implements TftpPacket {
        public Data {
            checkBlock(block);
            Objects.checkFromIndexSize(offset, length, payload.length);
        }

        public Data(int block, byte[] payload) {
            this(block, payload, 0, payload.length);
        }

        public byte[] bytes() {
            return Arrays.copyOfRange(payload, offset, offset + length);
        }

        @Override
        public int opcode() {
            return DATA;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && d.block == block && Arrays.equals(d.payload, d.offset, d.offset + d.length,
                    payload, offset, offset + length);
        }

        @Override
        public int hashCode() {
            return block * 31 + Arrays.hashCode(bytes());
        }

        @Override
        public String toString() {
            return "Data[block=" + block + ", length=" + length + "]";
        }
    }

    record Ack(int block) implements TftpPacket {
        public Ack {
            checkBlock(block);
        }

        @Override
        public int opcode() {
            return ACK;
        }
    }

    record Error(ErrorCode code, String message) implements TftpPacket {
        public Error {
            Objects.requireNonNull(code);
            Objects.requireNonNull(message);
        }

        @Override
        public int opcode() {
            return ERROR;
        }
    }

    /** OACK: the options the server accepted, with the values it chose. */
    record OptionAck(Map<String, String> options) implements TftpPacket {
        public OptionAck {
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        @Override
        public int opcode() {
            return OACK;
        }
    }

    private static void checkBlock(int block) {
        if (block < 0 || block > 0xffff) {
            throw new IllegalArgumentException("block number out of 0..65535: " + block);
        }
    }
}
