package io.pxewings.dhcp.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of one DHCP message: each code once, its value being the RFC 3396 concatenation of
 * every instance in the packet, in insertion order (which is the order they are encoded in).
 * Immutable; values are copied in and out.
 */
public final class DhcpOptions {

    public static final DhcpOptions EMPTY = new DhcpOptions(Map.of());

    private final Map<Integer, byte[]> values;

    private DhcpOptions(Map<Integer, byte[]> values) {
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        values.forEach(b::put);
        return b;
    }

    public boolean has(int code) {
        return values.containsKey(code);
    }

    /** Codes in encoding order. */
    public Set<Integer> codes() {
        return Collections.unmodifiableSet(values.keySet());
    }

    public int size() {
        return values.size();
    }

    public Optional<byte[]> bytes(int code) {
        byte[] v = values.get(code);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    /** Length of a value without copying it. */
    public int length(int code) {
        byte[] v = values.get(code);
        return v == null ? -1 : v.length;
    }

    /** A text option (RFC 2132 NVT ASCII; read as UTF-8 to keep any byte), trailing NULs removed. */
    public Optional<String> string(int code) {
        byte[] v = values.get(code);
        if (v == null) {
            return Optional.empty();
        }
        int end = v.length;
        while (end > 0 && v[end - 1] == 0) {
            end--;
        }
        return Optional.of(new String(v, 0, end, StandardCharsets.UTF_8));
    }

    public Optional<Integer> u8(int code) {
        byte[] v = values.get(code);
        return v == null || v.length != 1 ? Optional.empty() : Optional.of(v[0] & 0xff);
    }

    public Optional<Integer> u16(int code) {
        byte[] v = values.get(code);
        return v == null || v.length != 2 ? Optional.empty() : Optional.of((v[0] & 0xff) << 8 | (v[1] & 0xff));
    }

    public Optional<Long> u32(int code) {
        byte[] v = values.get(code);
        if (v == null || v.length != 4) {
            return Optional.empty();
        }
        return Optional.of(((long) (v[0] & 0xff) << 24) | (v[1] & 0xff) << 16 | (v[2] & 0xff) << 8 | (v[3] & 0xff));
    }

    public Optional<Inet4Address> ip(int code) {
        byte[] v = values.get(code);
        return v == null || v.length != 4 ? Optional.empty() : Optional.of(toIp(v, 0));
    }

    public List<Inet4Address> ips(int code) {
        byte[] v = values.get(code);
        if (v == null || v.length % 4 != 0) {
            return List.of();
        }
        List<Inet4Address> out = new ArrayList<>(v.length / 4);
        for (int i = 0; i < v.length; i += 4) {
            out.add(toIp(v, i));
        }
        return out;
    }

    static Inet4Address toIp(byte[] b, int offset) {
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, offset, offset + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    /** Package-private view for the encoder, without copies. */
    Map<Integer, byte[]> raw() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DhcpOptions other) || other.values.size() != values.size()) {
            return false;
        }
        var a = values.entrySet().iterator();
        var b = other.values.entrySet().iterator();
        while (a.hasNext()) {
            var x = a.next();
            var y = b.next();
            if (!x.getKey().equals(y.getKey()) || !Arrays.equals(x.getValue(), y.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (var e : values.entrySet()) {
            h = 31 * h + e.getKey();
            h = 31 * h + Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(Hex.of(v)));
        return sb.append('}').toString();
    }

    /** Builds options in the order they should be encoded. PAD and END are never options. */
    public static final class Builder {

        private final Map<Integer, byte[]> values = new LinkedHashMap<>();

        public Builder put(int code, byte[] value) {
            if (code <= OptionCode.PAD || code >= OptionCode.END) {
                throw new IllegalArgumentException("option code must be 1-254, was " + code);
            }
            values.put(code, value.clone());
            return this;
        }

        /** Appends to an existing value (RFC 3396 concatenation while decoding). */
        Builder append(int code, byte[] src, int offset, int length) {
            byte[] old = values.get(code);
            byte[] joined;
            if (old == null) {
                joined = Arrays.copyOfRange(src, offset, offset + length);
            } else {
                joined = Arrays.copyOf(old, old.length + length);
                System.arraycopy(src, offset, joined, old.length, length);
            }
            values.put(code, joined);
            return this;
        }

        public Builder putString(int code, String value) {
            return put(code, value.getBytes(StandardCharsets.UTF_8));
        }

        public Builder putU8(int code, int value) {
            return put(code, new byte[] {(byte) value});
        }

        public Builder putU16(int code, int value) {
            return put(code, new byte[] {(byte) (value >>> 8), (byte) value});
        }

        public Builder putU32(int code, long value) {
            return put(code, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        }

        public Builder putIp(int code, Inet4Address address) {
            return put(code, address.getAddress());
        }

        public Builder putIps(int code, List<Inet4Address> addresses) {
            byte[] out = new byte[addresses.size() * 4];
            for (int i = 0; i < addresses.size(); i++) {
                System.arraycopy(addresses.get(i).getAddress(), 0, out, i * 4, 4);
            }
            return put(code, out);
        }

        public Builder remove(int code) {
            values.remove(code);
            return this;
        }

        public boolean has(int code) {
            return values.containsKey(code);
        }

        public DhcpOptions build() {
            Map<Integer, byte[]> copy = new LinkedHashMap<>();
            values.forEach((k, v) -> copy.put(k, v.clone()));
            return new DhcpOptions(Collections.unmodifiableMap(copy));
        }
    }
}
