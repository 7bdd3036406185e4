package io.pxewings.dhcp.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.net.UdpSocketStats;
import io.pxewings.dhcp.boot.BootDecider;
import io.pxewings.dhcp.boot.ClientFacts;
import io.pxewings.dhcp.codec.DhcpCodec;
import io.pxewings.dhcp.codec.DhcpPacket;
import io.pxewings.dhcp.codec.MalformedPacketException;
import io.pxewings.dhcp.codec.MessageType;
import io.pxewings.dhcp.codec.OptionCode;
import io.pxewings.dhcp.config.DhcpConfig;
import io.pxewings.dhcp.config.DhcpSite;
import io.pxewings.dhcp.facts.DhcpFacts;
import io.pxewings.common.edge.BootIntentView;
import io.pxewings.events.EventTypes;
import io.pxewings.dhcp.lease.Lease;
import io.pxewings.dhcp.lease.LeaseJournal;
import io.pxewings.dhcp.lease.LeaseStore;
import io.pxewings.dhcp.lease.Subnet;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The thin adapter between a Vert.x UDP socket and the pure {@link DhcpEngine}. Everything runs
 * on one event-loop context, which owns the lease store; an ACK leaves only after the journal
 * reports its lease on disk. Nothing a datagram holds can throw out of the receive handler.
 */
@ApplicationScoped
public class DhcpServer {

    private static final Logger LOG = Logger.getLogger(DhcpServer.class);
    private static final int LAST_SEEN_LIMIT = 10_000;
    private static final long COMPACT_AT_BYTES = 16L * 1024 * 1024;

    @Inject
    Vertx vertx;

    @Inject
    DhcpConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    DhcpFacts facts;

    @Inject
    BootIntentView intents;

    @Inject
    LeaseStore store;

    private DhcpMetrics metrics;
    private Context context;
    private volatile DatagramSocket socket;
    private LeaseJournal journal;
    private DhcpEngine engine;
    /** Set in proxy mode: answers PXE clients with boot options only, on 67 and 4011. */
    private ProxyEngine proxy;
    private volatile DatagramSocket pxeSocket;
    private DhcpEngine.Settings settings;
    private volatile String listeningOn;
    private final Map<String, AtomicLong> inUse = new ConcurrentHashMap<>();
    /** Last DISCOVER facts per MAC, for the explain endpoint (LRU, event-loop only). */
    private final Map<String, ClientFacts> lastSeen = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ClientFacts> eldest) {
            return size() > LAST_SEEN_LIMIT;
        }
    };

    void start(@Observes StartupEvent event) throws Exception {
        metrics = new DhcpMetrics(registry);
        settings = DhcpSite.settings(config);
        DhcpSite.reservations(config).forEach(store::reserve);
        journal = LeaseJournal.open(Path.of(config.dataDir(), "leases.journal"), store::put, this::recovered);
        BootDecider decider = new BootDecider(DhcpSite.boot(config, settings.serverId()));
        engine = new DhcpEngine(settings, store, decider, intents::get);
        proxy = config.mode() == DhcpConfig.Mode.proxy ? new ProxyEngine(settings, decider, intents::get) : null;
        for (Subnet s : settings.subnets()) {
            AtomicLong used = new AtomicLong(store.inUse(s.name(), Instant.now()));
            inUse.put(s.name(), used);
            // Refreshed by housekeeping on the event loop: a scrape never touches the store.
            Gauge.builder("wings_dhcp_pool_in_use", used, AtomicLong::get)
                    .description("Addresses of a subnet's pools held now (offered, bound or quarantined)")
                    .tag("subnet", s.name()).register(registry);
            Gauge.builder("wings_dhcp_pool_size", s::poolSize).description("Addresses in a subnet's pools")
                    .tag("subnet", s.name()).register(registry);
        }
        if (settings.subnets().isEmpty() && proxy == null) {
            LOG.warn("no subnets configured (wings.dhcp.subnets.*): every request will go unanswered");
        }
        context = vertx.getOrCreateContext();
        CompletableFuture<Void> bound = new CompletableFuture<>();
        CompletableFuture<Void> pxeBound = proxy == null ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
        context.runOnContext(v -> {
            // Fields first: a bind on the event loop may complete, and run its handler, inline.
            socket = createSocket();
            pxeSocket = proxy != null ? createSocket() : null;
            listen(socket, config.port(), bound);
            if (pxeSocket != null) {
                listen(pxeSocket, config.proxyPort(), pxeBound);
            }
            vertx.setPeriodic(5_000, id -> housekeeping());
        });
        try {
            bound.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("DHCP cannot listen on " + config.bindAddress() + ":" + config.port()
                    + " (wings.dhcp.bind-address, wings.dhcp.port): " + e.getMessage(), e);
        }
        try {
            pxeBound.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("proxyDHCP cannot listen on " + config.bindAddress() + ":" + config.proxyPort()
                    + " (wings.dhcp.bind-address, wings.dhcp.proxy-port): " + e.getMessage(), e);
        }
        UdpSocketStats.register(registry, "wings_dhcp", socket.localAddress().port(), "socket", "dhcp");
        if (pxeSocket != null) {
            UdpSocketStats.register(registry, "wings_dhcp", pxeSocket.localAddress().port(), "socket", "pxe");
        }
        listeningOn = config.bindAddress() + ":" + socket.localAddress().port()
                + (proxy != null ? " and " + pxeSocket.localAddress().port() + " (proxyDHCP)" : "");
        LOG.infof("DHCP %s on udp %s, server id %s, %d subnet(s), %d lease record(s)", config.mode(), listeningOn,
                settings.serverId().getHostAddress(), settings.subnets().size(), store.size());
    }

    private DatagramSocket createSocket() {
        DatagramSocket s = vertx.createDatagramSocket(new DatagramSocketOptions().setBroadcast(true).setReuseAddress(true)
                .setReceiveBufferSize(config.receiveBuffer()));
        s.handler(d -> onDatagram(d, s));
        s.exceptionHandler(e -> LOG.warnf("DHCP socket error: %s", e.toString()));
        return s;
    }

    /** Binds a socket on the event loop; {@code bound} completes when it listens. */
    private void listen(DatagramSocket s, int port, CompletableFuture<Void> bound) {
        s.listen(port, config.bindAddress()).onComplete(r -> {
            if (r.succeeded()) {
                bound.complete(null);
            } else {
                bound.completeExceptionally(r.cause());
            }
        });
    }

    void stop(@Observes ShutdownEvent event) throws IOException {
        listeningOn = null;
        if (socket != null) {
            socket.close();
        }
        if (pxeSocket != null) {
            pxeSocket.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    private void recovered(LeaseJournal.Recovery r) {
        registry.counter("wings_dhcp_journal_recovered_records").increment(r.records());
        registry.counter("wings_dhcp_journal_corrupt_records").increment(r.corruptRecords());
        registry.counter("wings_dhcp_journal_truncated_bytes").increment(r.truncatedBytes());
    }

    private void onDatagram(DatagramPacket datagram, DatagramSocket arrivedOn) {
        long t0 = System.nanoTime();
        try {
            handle(datagram, arrivedOn, t0);
        } catch (RuntimeException e) {
            // A bug must cost one packet, never the receive loop.
            metrics.dropped("internal-error");
            LOG.errorf(e, "DHCP request from %s dropped", datagram.sender());
        }
    }

    private void handle(DatagramPacket datagram, DatagramSocket arrivedOn, long t0) {
        DhcpPacket request;
        MessageType type;
        try {
            request = DhcpCodec.decode(datagram.data().getBytes());
            type = DhcpCodec.requireRequest(request);
        } catch (MalformedPacketException e) {
            metrics.dropped(e.reason());
            LOG.debugf("dropped datagram from %s: %s", datagram.sender(), e.getMessage());
            return;
        }
        metrics.received(type.name().toLowerCase());
        if (type == MessageType.DISCOVER) {
            ClientFacts client = ClientFacts.of(request);
            lastSeen.put(request.mac(), client);
            facts.discoverSeen(client, request.giaddr());
        }
        InetSocketAddress from = new InetSocketAddress(literal(datagram.sender().host()), datagram.sender().port());
        Optional<Lease> before = store.byMac(request.mac());
        DhcpEngine.Outcome outcome = proxy != null
                ? proxy.handle(request, type, from, arrivedOn == pxeSocket ? ProxyEngine.PXE_PORT : 67, Instant.now())
                : engine.handle(request, type, from, Instant.now());
        metrics.outcome(outcome.label());
        if (!(outcome instanceof DhcpEngine.Reply reply)) {
            outcome.durable().ifPresent(l -> journal.append(l).thenRun(() -> silentFact(request.mac(), l)));
            return;
        }
        if (reply.type() == MessageType.NAK) {
            LOG.debugf("NAK to %s (xid %08x): %s", request.mac(), request.xid(), reply.boot().reason());
        }
        byte[] wire = DhcpCodec.encode(reply.packet(), maxMessage(request));
        if (reply.durable().isEmpty()) {
            send(arrivedOn, wire, reply.to(), t0);
            facts.bootOffered(request.mac(), reply.type().name(), reply.packet().yiaddr(), reply.boot());
            return;
        }
        Lease bound = reply.durable().get();
        journal.append(bound).whenComplete((ok, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                // Not on disk: no ACK. The client retries; nothing was promised.
                metrics.dropped("journal-failed");
                LOG.errorf("lease for %s not journaled, ACK withheld: %s", request.mac(), failure.toString());
                return;
            }
            send(arrivedOn, wire, reply.to(), t0);
            boolean renewal = before.filter(b -> b.state() == Lease.State.BOUND && b.ip().equals(bound.ip())).isPresent();
            facts.leaseChanged(renewal ? EventTypes.DHCP_LEASE_RENEWED : EventTypes.DHCP_LEASE_BOUND, request.mac(), bound);
        }));
    }

    /** Facts of requests that get no reply: a RELEASE or a DECLINE that changed a lease. */
    private void silentFact(String mac, Lease l) {
        if (l.state() == Lease.State.RELEASED) {
            facts.leaseChanged(EventTypes.DHCP_LEASE_RELEASED, mac, l);
        } else if (l.state() == Lease.State.DECLINED) {
            facts.leaseChanged(EventTypes.DHCP_LEASE_DECLINED, mac, l);
        }
    }

    /** Replies leave through the socket the request came in on (port 4011 answers from 4011). */
    private void send(DatagramSocket via, byte[] wire, InetSocketAddress to, long t0) {
        via.send(Buffer.buffer(wire), to.getPort(), to.getAddress().getHostAddress()).onComplete(r -> {
            if (r.failed()) {
                metrics.dropped("send-failed");
                warnSendFailure(to, r.cause());
            }
        });
        metrics.responded(System.nanoTime() - t0);
    }

    private long lastSendWarning;

    /** At most one warning every 10 s: a missing broadcast route would otherwise flood the log. */
    private void warnSendFailure(InetSocketAddress to, Throwable cause) {
        long now = System.nanoTime();
        if (now - lastSendWarning > 10_000_000_000L || lastSendWarning == 0) {
            lastSendWarning = now;
            LOG.warnf("reply to %s failed: %s (for 255.255.255.255, the host needs a route such as "
                    + "'ip route add 255.255.255.255/32 dev <serving interface>')", to, cause.toString());
        }
    }

    /** Option 57 when sane (RFC 2132 §9.10: at least 576), capped at an Ethernet payload. */
    static int maxMessage(DhcpPacket request) {
        int asked = request.options().u16(OptionCode.MAX_MESSAGE_SIZE).orElse(DhcpCodec.DEFAULT_MAX_MESSAGE);
        return Math.max(DhcpCodec.DEFAULT_MAX_MESSAGE, Math.min(asked, 1472));
    }

    private void housekeeping() {
        Instant now = Instant.now();
        for (Lease expired : store.expire(now)) {
            journal.append(expired);
            facts.leaseChanged(EventTypes.DHCP_LEASE_EXPIRED, expired.mac(), expired);
        }
        inUse.forEach((subnet, used) -> used.set(store.inUse(subnet, now)));
        if (journal.size() > COMPACT_AT_BYTES && journal.size() > 4L * 128 * Math.max(1, store.size())) {
            journal.compact(store.snapshot());
        }
    }

    /** The sender is always an IP literal: no name lookup happens here. */
    private static InetAddress literal(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("not an IP literal: " + host, e);
        }
    }

    /** Runs a read of the server's state on its event loop. */
    public <T> CompletionStage<T> onLoop(Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                f.complete(work.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** The UDP port actually bound (differs from the config when that is 0). */
    public int port() {
        return socket.localAddress().port();
    }

    public Optional<String> listeningOn() {
        return Optional.ofNullable(listeningOn);
    }

    /** Event-loop only: via {@link #onLoop}. */
    LeaseStore store() {
        return store;
    }

    /** Event-loop only: via {@link #onLoop}. */
    Optional<ClientFacts> lastSeen(String mac) {
        return Optional.ofNullable(lastSeen.get(mac));
    }

    /** What this MAC would be offered now, in this server's mode. */
    io.pxewings.dhcp.boot.BootDecision explain(ClientFacts facts) {
        return proxy != null ? proxy.explain(facts) : engine.explain(facts);
    }
}
