package io.pxewings.dhcp.server;

import java.util.Map;

import io.pxewings.dhcp.boot.BootDecision;
import io.pxewings.dhcp.codec.DhcpOptions;
import io.pxewings.dhcp.codec.DhcpPacket;
import io.pxewings.dhcp.codec.OptionCode;
import io.pxewings.dhcp.codec.SubOptions;

/** What a server reply and a proxyDHCP reply build the same way. */
final class BootReplies {

    /** PXE spec 2.1 §2.2.5, option 43 sub-option 6 = 8: boot the file in this reply, no boot-server discovery. */
    static final byte[] PXE_DISCOVERY_CONTROL = SubOptions.of(Map.of(6, new byte[] {8})).encode(true);

    private BootReplies() {
    }

    /** The reply skeleton: BOOTREPLY echoing xid, flags, ciaddr, giaddr, chaddr (RFC 2131 §4.3.1 table 3). */
    static DhcpPacket.Builder skeleton(DhcpPacket req) {
        return DhcpPacket.builder().op(DhcpPacket.BOOTREPLY).htype(req.htype()).hlen(req.hlen()).xid(req.xid())
                .flags(req.flags()).ciaddr(req.ciaddr()).giaddr(req.giaddr()).chaddr(req.chaddr());
    }

    /** The boot file in option 67 and, when it fits, in 'file'; the ONIE URL in option 114. */
    static void bootFile(BootDecision d, DhcpPacket.Builder p, DhcpOptions.Builder o) {
        d.bootFile().ifPresent(f -> {
            o.putString(OptionCode.BOOTFILE_NAME, f);
            if (f.length() < 128) {
                p.file(f);
            }
        });
        d.defaultUrl().ifPresent(u -> o.putString(OptionCode.DEFAULT_URL, u));
    }
}
