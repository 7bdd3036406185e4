package io.pxewings.dhcp.server;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import io.pxewings.dhcp.boot.BootDecider;
import io.pxewings.dhcp.boot.BootDecision;
import io.pxewings.dhcp.boot.ClientFacts;
import io.pxewings.dhcp.codec.DhcpOptions;
import io.pxewings.dhcp.codec.DhcpPacket;
import io.pxewings.dhcp.codec.MessageType;
import io.pxewings.dhcp.codec.OptionCode;
import io.pxewings.dhcp.codec.VendorClass;
import io.pxewings.dhcp.lease.Ipv4;
import io.pxewings.events.boot.BootIntent;

/**
 * proxyDHCP (PXE specification 2.1 §2.2.3 and §2.2.4): for sites that keep their own DHCP server.
 * It gives PXE clients boot options and never an address: a ProxyDHCP OFFER to a DISCOVER on
 * port 67, and an ACK to the DHCPREQUEST a client sends to port 4011. Anything that is not a PXE
 * client gets no answer, so the site's DHCP server stays the only one its other clients hear.
 */
public final class ProxyEngine {

    /** The port a PXE client sends its boot-server request to after a ProxyDHCP offer. */
    public static final int PXE_PORT = 4011;

    private final Inet4Address serverId;
    private final Inet4Address broadcast;
    private final int clientPort;
    private final DhcpEngine.Discovery discovery;
    private final BootDecider boot;
    private final Function<String, Optional<BootIntent>> intents;

    public ProxyEngine(DhcpEngine.Settings settings, BootDecider boot, Function<String, Optional<BootIntent>> intents) {
        this.serverId = settings.serverId();
        this.broadcast = settings.broadcast();
        this.clientPort = settings.clientPort();
        this.discovery = settings.discovery();
        this.boot = boot;
        this.intents = intents;
    }

    /** What a DISCOVER from this client would be offered now, without answering it. */
    public BootDecision explain(ClientFacts facts) {
        VendorClass.Kind kind = facts.vendorClass().kind();
        if (kind != VendorClass.Kind.PXE && kind != VendorClass.Kind.HTTP_BOOT) {
            return BootDecision.none("proxyDHCP answers PXE clients only; this one sent vendor class '" + facts.vendorClass().raw() + "'");
        }
        Optional<BootIntent> intent = intents.apply(facts.mac());
        if (intent.isEmpty() && discovery == DhcpEngine.Discovery.ignore) {
            return BootDecision.none("unknown MAC and the site's discovery policy is 'ignore': no answer");
        }
        return boot.decide(facts, intent);
    }

    /** @param localPort the port the request arrived on: 67 or {@link #PXE_PORT} */
    public DhcpEngine.Outcome handle(DhcpPacket req, MessageType type, InetSocketAddress from, int localPort, Instant now) {
        ClientFacts facts = ClientFacts.of(req);
        VendorClass.Kind kind = facts.vendorClass().kind();
        if (kind != VendorClass.Kind.PXE && kind != VendorClass.Kind.HTTP_BOOT) {
            return new DhcpEngine.NoReply("proxy-not-pxe", Optional.empty());
        }
        Optional<BootIntent> intent = intents.apply(facts.mac());
        if (intent.isEmpty() && discovery == DhcpEngine.Discovery.ignore) {
            return new DhcpEngine.NoReply("unknown-mac-ignored", Optional.empty());
        }
        boolean pxePort = localPort == PXE_PORT;
        if (!(type == MessageType.DISCOVER && !pxePort) && !(type == MessageType.REQUEST && pxePort)) {
            // REQUESTs on 67 belong to the site's DHCP server; nothing else is ours to answer.
            return new DhcpEngine.NoReply("proxy-not-ours", Optional.empty());
        }
        BootDecision decision = boot.decide(facts, intent, new BootDecider.Exchange(req.xid(), now));
        if (decision.bootFile().isEmpty() && decision.defaultUrl().isEmpty()) {
            return new DhcpEngine.NoReply("proxy-no-boot-file", Optional.empty());
        }
        MessageType replyType = pxePort ? MessageType.ACK : MessageType.OFFER;
        DhcpOptions.Builder o = DhcpOptions.builder()
                .putU8(OptionCode.MESSAGE_TYPE, replyType.code())
                .putIp(OptionCode.SERVER_IDENTIFIER, serverId)
                // PXE spec §2.2.3: the vendor class tells the client this offer carries boot information.
                .putString(OptionCode.VENDOR_CLASS_ID, kind == VendorClass.Kind.HTTP_BOOT ? "HTTPClient" : "PXEClient");
        req.options().bytes(OptionCode.CLIENT_MACHINE_ID).ifPresent(v -> o.put(OptionCode.CLIENT_MACHINE_ID, v));
        o.put(OptionCode.VENDOR_SPECIFIC, BootReplies.PXE_DISCOVERY_CONTROL);
        DhcpPacket.Builder p = BootReplies.skeleton(req);
        // iPXE takes a ProxyDHCP reply as PXE options only with both siaddr and a boot file
        // (dhcp_has_pxeopts), even when the file is an http:// URL: siaddr is never left at zero.
        p.siaddr(decision.nextServer().map(Ipv4::parse).orElse(serverId));
        BootReplies.bootFile(decision, p, o);
        DhcpPacket reply = p.options(o.build()).build();
        // A 4011 request is answered to its sender, unless it was sent before the client had an
        // address (source 0.0.0.0), which only a broadcast reaches.
        InetSocketAddress to = pxePort && !from.getAddress().isAnyLocalAddress() ? from
                : ReplyAddressing.destination(req, reply, from, broadcast, clientPort);
        return new DhcpEngine.Reply(reply, to, Optional.empty(), replyType, decision);
    }
}
