package io.pxewings.dhcp.server;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.pxewings.dhcp.boot.BootDecider;
import io.pxewings.dhcp.boot.BootDecision;
import io.pxewings.dhcp.boot.ClientFacts;
import io.pxewings.dhcp.codec.DhcpOptions;
import io.pxewings.dhcp.codec.DhcpPacket;
import io.pxewings.dhcp.codec.MessageType;
import io.pxewings.dhcp.codec.OptionCode;
import io.pxewings.dhcp.codec.SubOptions;
import io.pxewings.dhcp.lease.Ipv4;
import io.pxewings.dhcp.lease.Lease;
import io.pxewings.dhcp.lease.LeaseStore;
import io.pxewings.dhcp.lease.Subnet;
import io.pxewings.events.boot.BootIntent;

/**
 * The DHCP server's decisions (RFC 2131 §4.3), with no I/O: a request in, an outcome out. The
 * adapter journals {@link Reply#durable()} before it sends the reply, so an ACK never precedes
 * its lease on disk. One thread calls {@link #handle}; the lease store is not shared.
 */
public final class DhcpEngine {

    /**
     * Server-wide settings.
     *
     * @param serverId          option 54 and the address of the directly attached subnet
     * @param subnets           subnets and pools
     * @param offerHold         how long an offered address is held for its client
     * @param declineQuarantine how long a declined address is kept out of use
     * @param broadcast         where broadcast replies go (255.255.255.255 on a real segment)
     * @param clientPort        68, or another port in local mode
     */
    public record Settings(Inet4Address serverId, List<Subnet> subnets, Duration offerHold, Duration declineQuarantine,
                           Inet4Address broadcast, int clientPort, Discovery discovery) {
    }

    /** What to do with a MAC that has neither a boot intent nor a reservation. */
    public enum Discovery {
        /** Serve it (site defaults), so it boots into discovery and lands in inventory. */
        discover,
        /** Stay silent: only machines the site knows get an answer. */
        ignore
    }

    /** What to do with one request. */
    public sealed interface Outcome permits Reply, NoReply {
        /** A lease state to journal (before sending, for a reply). */
        Optional<Lease> durable();

        /** Metric label: the reply type or the reason for silence. */
        String label();
    }

    /** Send {@code packet} to {@code to} once {@code durable} (if any) is on disk. */
    public record Reply(DhcpPacket packet, InetSocketAddress to, Optional<Lease> durable, MessageType type,
                        BootDecision boot) implements Outcome {
        @Override
        public String label() {
            return type.name().toLowerCase();
        }
    }

    /** No reply, on purpose (RFC 2131 says to stay silent) or because nothing can be offered. */
    public record NoReply(String reason, Optional<Lease> durable) implements Outcome {
        @Override
        public String label() {
            return reason;
        }
    }

    private final Settings settings;
    private final LeaseStore store;
    private final BootDecider boot;
    private final Function<String, Optional<BootIntent>> intents;

    /**
     * @param intents the local view of boot intents by MAC (read on every request, never waited on)
     */
    public DhcpEngine(Settings settings, LeaseStore store, BootDecider boot, Function<String, Optional<BootIntent>> intents) {
        this.settings = settings;
        this.store = store;
        this.boot = boot;
        this.intents = intents;
    }

    public Outcome handle(DhcpPacket req, MessageType type, InetSocketAddress from, Instant now) {
        if (settings.discovery() == Discovery.ignore && (type == MessageType.DISCOVER || type == MessageType.REQUEST)
                && intents.apply(req.mac()).isEmpty() && store.reservation(req.mac()).isEmpty()) {
            return new NoReply("unknown-mac-ignored", Optional.empty());
        }
        return switch (type) {
            case DISCOVER -> discover(req, from, now);
            case REQUEST -> request(req, from, now);
            case DECLINE -> decline(req, now);
            case RELEASE -> release(req, now);
            case INFORM -> inform(req, from);
            default -> new NoReply("not-a-client-message", Optional.empty());
        };
    }

    /** What a DISCOVER from this client would be offered now, without changing anything. */
    public BootDecision explain(ClientFacts facts) {
        if (settings.discovery() == Discovery.ignore && intents.apply(facts.mac()).isEmpty()
                && store.reservation(facts.mac()).isEmpty()) {
            return BootDecision.none("unknown MAC and the site's discovery policy is 'ignore': no answer");
        }
        return facts.isNetworkBoot() ? boot.decide(facts, intents.apply(facts.mac()))
                : BootDecision.none("not a network-boot client");
    }

    private Outcome discover(DhcpPacket req, InetSocketAddress from, Instant now) {
        Optional<Subnet> subnet = subnetFor(req);
        if (subnet.isEmpty()) {
            return new NoReply("no-subnet", Optional.empty());
        }
        Optional<Inet4Address> ip = store.choose(subnet.get(), req.mac(), req.options().ip(OptionCode.REQUESTED_IP), now);
        if (ip.isEmpty()) {
            return new NoReply("pool-exhausted", Optional.empty());
        }
        store.offer(subnet.get(), req.mac(), ip.get(), hostname(req), now, settings.offerHold());
        Duration leaseTime = subnet.get().grant(req.options().u32(OptionCode.LEASE_TIME));
        return reply(req, from, MessageType.OFFER, ip.get(), subnet.get(), leaseTime, Optional.empty(), now);
    }

    private Outcome request(DhcpPacket req, InetSocketAddress from, Instant now) {
        Optional<Inet4Address> serverId = req.options().ip(OptionCode.SERVER_IDENTIFIER);
        Optional<Inet4Address> requested = req.options().ip(OptionCode.REQUESTED_IP);
        boolean hasCiaddr = !req.ciaddr().equals(DhcpPacket.zero());
        if (serverId.isPresent() && !serverId.get().equals(settings.serverId())) {
            // SELECTING, but the client chose another server: release our hold on the offer.
            store.forgetOffer(req.mac());
            return new NoReply("other-server-chosen", Optional.empty());
        }
        Optional<Subnet> subnet = subnetFor(req);
        if (subnet.isEmpty()) {
            return new NoReply("no-subnet", Optional.empty());
        }
        Inet4Address wanted;
        if (serverId.isPresent() || !hasCiaddr) {
            // SELECTING (54 set) or INIT-REBOOT (no 54, no ciaddr): the address is in option 50.
            if (requested.isEmpty()) {
                return nak(req, from, "request without a requested address");
            }
            wanted = requested.get();
            if (!subnet.get().contains(wanted)) {
                return nak(req, from, "requested address is not on this network");
            }
            if (serverId.isEmpty() && store.byMac(req.mac()).filter(l -> l.ip().equals(wanted)).isEmpty()
                    && store.byIp(wanted).isEmpty()) {
                // RFC 2131 §4.3.2: INIT-REBOOT with no record of the client: remain silent.
                return new NoReply("init-reboot-unknown-client", Optional.empty());
            }
        } else {
            // RENEWING (unicast) or REBINDING (broadcast): the address is ciaddr.
            wanted = req.ciaddr();
            if (!subnet.get().contains(wanted)) {
                return new NoReply("renewal-for-another-network", Optional.empty());
            }
        }
        if (!store.mayHave(subnet.get(), req.mac(), wanted, now)) {
            String holder = store.byIp(wanted).map(l -> ", " + l.state().name().toLowerCase() + " for " + l.mac()
                    + " until " + l.expiresAt()).orElse("");
            return nak(req, from, "address " + Ipv4.text(wanted) + " is not available to this client" + holder);
        }
        Duration leaseTime = subnet.get().grant(req.options().u32(OptionCode.LEASE_TIME));
        Lease bound = store.bind(subnet.get(), req.mac(), wanted, hostname(req), now, leaseTime);
        return reply(req, from, MessageType.ACK, wanted, subnet.get(), leaseTime, Optional.of(bound), now);
    }

    private Outcome decline(DhcpPacket req, Instant now) {
        Optional<Inet4Address> ip = req.options().ip(OptionCode.REQUESTED_IP);
        if (ip.isEmpty() || !req.options().ip(OptionCode.SERVER_IDENTIFIER).map(settings.serverId()::equals).orElse(false)) {
            return new NoReply("decline-ignored", Optional.empty());
        }
        return new NoReply("declined", store.decline(req.mac(), ip.get(), now, settings.declineQuarantine()));
    }

    private Outcome release(DhcpPacket req, Instant now) {
        return new NoReply("released", store.release(req.mac(), req.ciaddr(), now));
    }

    private Outcome inform(DhcpPacket req, InetSocketAddress from) {
        Optional<Subnet> subnet = subnetFor(req);
        if (subnet.isEmpty() || req.ciaddr().equals(DhcpPacket.zero())) {
            return new NoReply("no-subnet", Optional.empty());
        }
        // RFC 2131 §4.3.5: configuration only; no address, no lease time.
        DhcpOptions.Builder o = DhcpOptions.builder()
                .putU8(OptionCode.MESSAGE_TYPE, MessageType.ACK.code())
                .putIp(OptionCode.SERVER_IDENTIFIER, settings.serverId());
        networkOptions(o, subnet.get());
        DhcpPacket reply = BootReplies.skeleton(req).options(o.build()).build();
        return new Reply(reply, new InetSocketAddress(req.ciaddr(), settings.clientPort()), Optional.empty(),
                MessageType.ACK, BootDecision.none("DHCPINFORM: configuration only"));
    }

    private Reply reply(DhcpPacket req, InetSocketAddress from, MessageType type, Inet4Address ip, Subnet subnet,
                        Duration leaseTime, Optional<Lease> durable, Instant now) {
        ClientFacts facts = ClientFacts.of(req);
        // The discovery policy was applied in handle(); an answered exchange may hand out a first stage, which is remembered.
        BootDecision decision = facts.isNetworkBoot()
                ? boot.decide(facts, intents.apply(facts.mac()), new BootDecider.Exchange(req.xid(), now))
                : BootDecision.none("not a network-boot client");
        long lease = leaseTime.toSeconds();
        DhcpOptions.Builder o = DhcpOptions.builder()
                .putU8(OptionCode.MESSAGE_TYPE, type.code())
                .putIp(OptionCode.SERVER_IDENTIFIER, settings.serverId())
                .putU32(OptionCode.LEASE_TIME, lease)
                // RFC 2131 §4.4.5: T1 = 0.5 and T2 = 0.875 of the lease by default.
                .putU32(OptionCode.RENEWAL_TIME, lease / 2)
                .putU32(OptionCode.REBINDING_TIME, lease * 7 / 8);
        networkOptions(o, subnet);
        DhcpPacket.Builder p = BootReplies.skeleton(req).yiaddr(ip);
        decision.vendorClass().ifPresent(v -> o.putString(OptionCode.VENDOR_CLASS_ID, v));
        decision.nextServer().ifPresent(s -> p.siaddr(Ipv4.parse(s)));
        BootReplies.bootFile(decision, p, o);
        if (decision.vendorClass().filter("PXEClient"::equals).isPresent()) {
            o.put(OptionCode.VENDOR_SPECIFIC, BootReplies.PXE_DISCOVERY_CONTROL);
        }
        if (decision.noProxyDhcp()) {
            o.put(OptionCode.IPXE_ENCAPSULATED, SubOptions.of(Map.of(OptionCode.IPXE_NO_PXEDHCP, new byte[] {1})).encode(false));
        }
        echoRelayInfo(req, o);
        DhcpPacket reply = p.options(o.build()).build();
        return new Reply(reply, ReplyAddressing.destination(req, reply, from, settings.broadcast(), settings.clientPort()),
                durable, type, decision);
    }

    private Outcome nak(DhcpPacket req, InetSocketAddress from, String why) {
        DhcpOptions.Builder o = DhcpOptions.builder()
                .putU8(OptionCode.MESSAGE_TYPE, MessageType.NAK.code())
                .putIp(OptionCode.SERVER_IDENTIFIER, settings.serverId())
                .putString(OptionCode.MESSAGE, why);
        echoRelayInfo(req, o);
        DhcpPacket.Builder p = BootReplies.skeleton(req).ciaddr(DhcpPacket.zero());
        if (!req.giaddr().equals(DhcpPacket.zero())) {
            // RFC 2131 §4.3.2: a NAK through a relay asks it to broadcast to the client.
            p.flags(req.flags() | DhcpPacket.FLAG_BROADCAST);
        }
        DhcpPacket reply = p.options(o.build()).build();
        return new Reply(reply, ReplyAddressing.destination(req, reply, from, settings.broadcast(), settings.clientPort()),
                Optional.empty(), MessageType.NAK, BootDecision.none(why));
    }

    private static void echoRelayInfo(DhcpPacket req, DhcpOptions.Builder o) {
        // RFC 3046 §2.2: the server copies option 82 into its reply, unchanged.
        req.options().bytes(OptionCode.RELAY_AGENT_INFORMATION).ifPresent(v -> o.put(OptionCode.RELAY_AGENT_INFORMATION, v));
    }

    private void networkOptions(DhcpOptions.Builder o, Subnet subnet) {
        o.putIp(OptionCode.SUBNET_MASK, subnet.mask());
        if (subnet.router() != null) {
            o.putIp(OptionCode.ROUTER, subnet.router());
        }
        if (!subnet.dns().isEmpty()) {
            o.putIps(OptionCode.DOMAIN_NAME_SERVER, subnet.dns());
        }
        o.putIp(OptionCode.BROADCAST_ADDRESS, subnet.broadcast());
    }

    /** The client's network: by relay address, else by its own address, else ours (RFC 2131 §4.3.1). */
    Optional<Subnet> subnetFor(DhcpPacket req) {
        Inet4Address key = !req.giaddr().equals(DhcpPacket.zero()) ? req.giaddr()
                : !req.ciaddr().equals(DhcpPacket.zero()) ? req.ciaddr() : settings.serverId();
        return settings.subnets().stream().filter(s -> s.contains(key)).findFirst();
    }

    private static String hostname(DhcpPacket req) {
        return req.options().string(OptionCode.HOST_NAME).orElse("");
    }
}
