package io.pxewings.dhcp.server;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

import io.pxewings.dhcp.codec.DhcpPacket;
import io.pxewings.dhcp.codec.MessageType;

/** Where a reply goes: RFC 2131 §4.1, "the DHCP server MUST ..." paragraph. */
public final class ReplyAddressing {

    static final int SERVER_PORT = 67;

    private ReplyAddressing() {
    }

    public static InetSocketAddress destination(DhcpPacket req, DhcpPacket reply, InetSocketAddress from,
                                                Inet4Address broadcast, int clientPort) {
        if (!req.giaddr().equals(DhcpPacket.zero())) {
            // Through the relay. Answer the port it sent from when that is the relay itself
            // (RFC 8357 relay ports, and load tools such as perfdhcp); else the server port.
            int port = from.getAddress().equals(req.giaddr()) ? from.getPort() : SERVER_PORT;
            return new InetSocketAddress(req.giaddr(), port);
        }
        boolean nak = reply.messageType().filter(MessageType.NAK::equals).isPresent();
        if (!nak && !req.ciaddr().equals(DhcpPacket.zero())) {
            return new InetSocketAddress(req.ciaddr(), clientPort);
        }
        // Broadcast flag set, a NAK, or a client without an address. Unicast to yiaddr would need an
        // ARP entry for an address the client does not have yet, which a UDP socket cannot create,
        // so the reply is broadcast, as RFC 2131 allows when unicast is not possible.
        return new InetSocketAddress(broadcast, clientPort);
    }
}
