package io.pxewings.dhcp.codec;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Encapsulated code-length-value sub-options, the format of option 43 (RFC 2132 §8.4; PXE spec
 * 2.1 §2.2.5), 82 (RFC 3046 §2.0), 175 (iPXE) and the data of each 125 enterprise block
 * (RFC 3925 §4). Sub-option codes 0 and 255 are PAD and END inside 43 and 175 only; 82's
 * sub-options have no PAD or END, so decoding takes a flag.
 */
public final class SubOptions {

    private final Map<Integer, byte[]> values;

    private SubOptions(Map<Integer, byte[]> values) {
        this.values = values;
    }

    public static SubOptions of(Map<Integer, byte[]> values) {
        Map<Integer, byte[]> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k < 0 || k > 255 || v.length > 255) {
                throw new IllegalArgumentException("sub-option " + k + " out of range");
            }
            copy.put(k, v.clone());
        });
        return new SubOptions(Collections.unmodifiableMap(copy));
    }

    /**
     * @param padAndEnd true where 0 is PAD and 255 is END (43, 175); false for 82
     * @throws MalformedPacketException when a length runs past the end
     */
    public static SubOptions decode(byte[] data, boolean padAndEnd) throws MalformedPacketException {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        int i = 0;
        while (i < data.length) {
            int code = data[i] & 0xff;
            if (padAndEnd && code == 0) {
                i++;
                continue;
            }
            if (padAndEnd && code == 255) {
                break;
            }
            if (i + 1 >= data.length || i + 2 + (data[i + 1] & 0xff) > data.length) {
                throw new MalformedPacketException(DropReason.OPTION_OVERRUN, "sub-option " + code + " runs past the end");
            }
            int len = data[i + 1] & 0xff;
            out.put(code, Arrays.copyOfRange(data, i + 2, i + 2 + len));
            i += 2 + len;
        }
        return new SubOptions(Collections.unmodifiableMap(out));
    }

    /** Encodes in insertion order; {@code withEnd} appends 255 (43 and 175 end with it). */
    public byte[] encode(boolean withEnd) {
        int size = withEnd ? 1 : 0;
        for (byte[] v : values.values()) {
            size += 2 + v.length;
        }
        byte[] out = new byte[size];
        int i = 0;
        for (var e : values.entrySet()) {
            out[i] = (byte) (int) e.getKey();
            out[i + 1] = (byte) e.getValue().length;
            System.arraycopy(e.getValue(), 0, out, i + 2, e.getValue().length);
            i += 2 + e.getValue().length;
        }
        if (withEnd) {
            out[i] = (byte) 255;
        }
        return out;
    }

    public Optional<byte[]> get(int code) {
        byte[] v = values.get(code);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    public boolean has(int code) {
        return values.containsKey(code);
    }

    public Map<Integer, byte[]> asMap() {
        Map<Integer, byte[]> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    public int size() {
        return values.size();
    }
}
