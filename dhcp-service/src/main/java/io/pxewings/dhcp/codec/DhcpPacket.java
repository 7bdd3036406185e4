package io.pxewings.dhcp.codec;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One BOOTP/DHCP message (RFC 2131 §2, figure 1). Immutable. {@code sname} and {@code file} hold
 * their text only; when option 52 overloads them, their options are already merged into
 * {@link #options()} and the text is empty.
 */
public final class DhcpPacket {

    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;
    /** RFC 2131 §2: the leftmost bit of 'flags'. */
    public static final int FLAG_BROADCAST = 0x8000;
    public static final int HTYPE_ETHERNET = 1;

    private static final Inet4Address ZERO = DhcpOptions.toIp(new byte[4], 0);

    private final int op;
    private final int htype;
    private final int hlen;
    private final int hops;
    private final int xid;
    private final int secs;
    private final int flags;
    private final Inet4Address ciaddr;
    private final Inet4Address yiaddr;
    private final Inet4Address siaddr;
    private final Inet4Address giaddr;
    private final byte[] chaddr;
    private final String sname;
    private final String file;
    private final DhcpOptions options;

    private DhcpPacket(Builder b) {
        op = b.op;
        htype = b.htype;
        hlen = b.hlen;
        hops = b.hops;
        xid = b.xid;
        secs = b.secs;
        flags = b.flags;
        ciaddr = b.ciaddr;
        yiaddr = b.yiaddr;
        siaddr = b.siaddr;
        giaddr = b.giaddr;
        chaddr = b.chaddr.clone();
        sname = b.sname;
        file = b.file;
        options = b.options;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().op(op).htype(htype).hlen(hlen).hops(hops).xid(xid).secs(secs).flags(flags)
                .ciaddr(ciaddr).yiaddr(yiaddr).siaddr(siaddr).giaddr(giaddr).chaddr(chaddr).sname(sname).file(file)
                .options(options);
    }

    public int op() {
        return op;
    }

    public int htype() {
        return htype;
    }

    public int hlen() {
        return hlen;
    }

    public int hops() {
        return hops;
    }

    public int xid() {
        return xid;
    }

    public int secs() {
        return secs;
    }

    public int flags() {
        return flags;
    }

    public boolean broadcast() {
        return (flags & FLAG_BROADCAST) != 0;
    }

    public Inet4Address ciaddr() {
        return ciaddr;
    }

    public Inet4Address yiaddr() {
        return yiaddr;
    }

    public Inet4Address siaddr() {
        return siaddr;
    }

    public Inet4Address giaddr() {
        return giaddr;
    }

    /** All 16 bytes of the chaddr field. */
    public byte[] chaddr() {
        return chaddr.clone();
    }

    /** The first hlen bytes of chaddr: the hardware address. */
    public byte[] hardwareAddress() {
        return Arrays.copyOf(chaddr, Math.min(hlen, 16));
    }

    /** The hardware address in the event contract's form: lower-case, colon-separated. */
    public String mac() {
        return Hex.mac(hardwareAddress());
    }

    public String sname() {
        return sname;
    }

    public String file() {
        return file;
    }

    public DhcpOptions options() {
        return options;
    }

    public Optional<MessageType> messageType() {
        return options.u8(OptionCode.MESSAGE_TYPE).map(MessageType::of);
    }

    public static Inet4Address zero() {
        return ZERO;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpPacket p && op == p.op && htype == p.htype && hlen == p.hlen && hops == p.hops
                && xid == p.xid && secs == p.secs && flags == p.flags && ciaddr.equals(p.ciaddr)
                && yiaddr.equals(p.yiaddr) && siaddr.equals(p.siaddr) && giaddr.equals(p.giaddr)
                && Arrays.equals(chaddr, p.chaddr) && sname.equals(p.sname) && file.equals(p.file)
                && options.equals(p.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(xid, Arrays.hashCode(chaddr), options);
    }

    @Override
    public String toString() {
        return "DhcpPacket{op=" + op + ", xid=" + Integer.toHexString(xid) + ", mac=" + mac()
                + ", type=" + messageType().map(Enum::name).orElse("?") + ", ciaddr=" + ciaddr.getHostAddress()
                + ", yiaddr=" + yiaddr.getHostAddress() + ", giaddr=" + giaddr.getHostAddress()
                + ", options=" + options + "}";
    }

    /** Builder with BOOTP defaults: zero addresses, Ethernet, empty names. */
    public static final class Builder {
        private int op = BOOTREQUEST;
        private int htype = HTYPE_ETHERNET;
        private int hlen = 6;
        private int hops;
        private int xid;
        private int secs;
        private int flags;
        private Inet4Address ciaddr = ZERO;
        private Inet4Address yiaddr = ZERO;
        private Inet4Address siaddr = ZERO;
        private Inet4Address giaddr = ZERO;
        private byte[] chaddr = new byte[16];
        private String sname = "";
        private String file = "";
        private DhcpOptions options = DhcpOptions.EMPTY;

        public Builder op(int v) {
            op = v;
            return this;
        }

        public Builder htype(int v) {
            htype = v;
            return this;
        }

        public Builder hlen(int v) {
            hlen = v;
            return this;
        }

        public Builder hops(int v) {
            hops = v;
            return this;
        }

        public Builder xid(int v) {
            xid = v;
            return this;
        }

        public Builder secs(int v) {
            secs = v & 0xffff;
            return this;
        }

        public Builder flags(int v) {
            flags = v & 0xffff;
            return this;
        }

        public Builder ciaddr(Inet4Address v) {
            ciaddr = Objects.requireNonNull(v);
            return this;
        }

        public Builder yiaddr(Inet4Address v) {
            yiaddr = Objects.requireNonNull(v);
            return this;
        }

        public Builder siaddr(Inet4Address v) {
            siaddr = Objects.requireNonNull(v);
            return this;
        }

        public Builder giaddr(Inet4Address v) {
            giaddr = Objects.requireNonNull(v);
            return this;
        }

        /** Up to 16 bytes; shorter values are zero-padded. */
        public Builder chaddr(byte[] v) {
            if (v.length > 16) {
                throw new IllegalArgumentException("chaddr is 16 bytes at most");
            }
            chaddr = Arrays.copyOf(v, 16);
            return this;
        }

        public Builder sname(String v) {
            sname = Objects.requireNonNull(v);
            return this;
        }

        public Builder file(String v) {
            file = Objects.requireNonNull(v);
            return this;
        }

        public Builder options(DhcpOptions v) {
            options = Objects.requireNonNull(v);
            return this;
        }

        public DhcpPacket build() {
            return new DhcpPacket(this);
        }
    }
}
