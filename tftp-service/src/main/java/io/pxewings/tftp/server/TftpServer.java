package io.pxewings.tftp.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.bootloaders.Bootloaders;
import io.pxewings.common.net.UdpSocketStats;
import io.pxewings.tftp.codec.ErrorCode;
import io.pxewings.tftp.codec.MalformedTftpException;
import io.pxewings.tftp.codec.TftpCodec;
import io.pxewings.tftp.codec.TftpPacket;
import io.pxewings.tftp.config.TftpConfig;
import io.pxewings.tftp.files.FileCache;
import io.pxewings.tftp.facts.TftpFacts;
import io.pxewings.tftp.files.SafePaths;
import io.pxewings.tftp.transfer.Negotiation;
import io.pxewings.tftp.transfer.Transfer;
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
 * The thin adapter between Vert.x UDP and the pure codec and {@link Transfer}: requests arrive on
 * the well-known port, on one event loop; each transfer gets its own socket on a fresh ephemeral
 * port (its TID, RFC 1350 §4) on one of the transfer loops, round-robin, and stays there. So
 * thousands of transfers cost sockets and timers, not threads, and use every core. Nothing a
 * datagram holds can throw out of a handler.
 */
@ApplicationScoped
public class TftpServer {

    private static final Logger LOG = Logger.getLogger(TftpServer.class);

    @Inject
    Vertx vertx;

    @Inject
    TftpConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    TftpFacts facts;

    private TftpMetrics metrics;
    private Context context;
    private volatile DatagramSocket socket;
    private SafePaths paths;
    private FileCache cache;
    private RateLimiter limiter;
    private Negotiation.Limits limits;
    private volatile String listeningOn;
    /** Where transfer sockets bind: the configured address, resolved once, on an ephemeral port. */
    private InetSocketAddress transferBind;
    /**
     * Client endpoints ("ip:port") with a transfer in progress, event-loop only. A client that
     * resends its request because our first answer was lost must not start a second transfer:
     * atftp, for one, aborts on the OACK from a second TID ("unexpected OACK").
     */
    private final java.util.Set<String> inProgress = new java.util.HashSet<>();
    /** The loops transfers run on, round-robin. */
    private TransferLoops transferLoops;

    void start(@Observes StartupEvent event) throws Exception {
        metrics = new TftpMetrics(registry);
        Path root = Files.createDirectories(Path.of(config.root()));
        // Debian's iPXE builds are there by default; an operator's own file of the same name wins.
        Bootloaders.install(root, Path.of(config.ipxeDir()), config.bootloaders(), "wings.tftp.ipxe-dir, wings.tftp.bootloaders");
        paths = new SafePaths(root);
        cache = new FileCache(config.cacheBytes(), config.cacheMaxFile());
        limiter = new RateLimiter(config.requestsPerSecondPerClient(), 100_000);
        limits = new Negotiation.Limits(config.maxBlksize(), config.maxWindowsize(), config.timeout());
        int loops = config.transferLoops().orElse(Runtime.getRuntime().availableProcessors());
        transferLoops = new TransferLoops(Math.max(1, loops), vertx.isNativeTransportEnabled(), config.spin().toNanos());
        context = vertx.getOrCreateContext();
        CompletableFuture<Void> bound = new CompletableFuture<>();
        context.runOnContext(v -> {
            socket = vertx.createDatagramSocket(new DatagramSocketOptions());
            socket.handler(this::onRequestDatagram);
            socket.listen(config.port(), config.bindAddress()).onComplete(r -> {
                if (r.succeeded()) {
                    bound.complete(null);
                } else {
                    bound.completeExceptionally(r.cause());
                }
            });
        });
        try {
            bound.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("TFTP cannot listen on " + config.bindAddress() + ":" + config.port()
                    + " (wings.tftp.bind-address, wings.tftp.port): " + e.getMessage(), e);
        }
        transferBind = new InetSocketAddress(InetAddress.getByName(config.bindAddress()), 0);
        UdpSocketStats.register(registry, "wings_tftp", socket.localAddress().port());
        listeningOn = config.bindAddress() + ":" + socket.localAddress().port();
        LOG.infof("TFTP on udp %s, root %s, %s transport, %d transfer loops%s", listeningOn, paths.root(),
                vertx.isNativeTransportEnabled() ? "epoll" : "NIO (epoll unavailable: " + vertx.unavailableNativeTransportCause() + ")",
                Math.max(1, loops), transferLoops.spinning() ? " polling " + config.spin().toNanos() / 1000 + " us before they sleep" : "");
    }

    void stop(@Observes ShutdownEvent event) {
        listeningOn = null;
        if (socket != null) {
            socket.close();
        }
        if (transferLoops != null) {
            transferLoops.shutdown();
        }
    }

    private void onRequestDatagram(DatagramPacket d) {
        try {
            onRequest(d);
        } catch (RuntimeException e) {
            // A bug must cost one request, never the receive loop.
            metrics.dropped("internal-error");
            LOG.errorf(e, "TFTP request from %s dropped", d.sender());
        }
    }

    private void onRequest(DatagramPacket d) {
        String host = d.sender().host();
        int port = d.sender().port();
        TftpPacket packet;
        try {
            packet = TftpCodec.decode(d.data().getBytes());
        } catch (MalformedTftpException e) {
            metrics.dropped(e.reason().name().toLowerCase(Locale.ROOT));
            LOG.debugf("dropped datagram from %s:%d: %s", host, port, e.getMessage());
            return;
        }
        if (!(packet instanceof TftpPacket.Request request)) {
            // DATA, ACK or ERROR belong to a transfer's own port, never to this one.
            metrics.dropped("not-a-request");
            return;
        }
        if (inProgress.contains(host + ":" + port)) {
            metrics.dropped("duplicate-request");   // the transfer in progress answers it by retransmitting
            return;
        }
        if (!limiter.allow(host, System.nanoTime())) {
            metrics.dropped("rate-limited");
            return;
        }
        if (request.opcode() == TftpPacket.WRQ) {
            refuse(host, port, request.filename(), ErrorCode.ACCESS_VIOLATION, "this server is read-only", "refused");
            return;
        }
        FileCache.Mode mode;
        switch (request.mode().toLowerCase(Locale.ROOT)) {
            case "octet" -> mode = FileCache.Mode.OCTET;
            case "netascii" -> mode = FileCache.Mode.NETASCII;
            default -> {
                refuse(host, port, request.filename(), ErrorCode.ILLEGAL_OPERATION,
                        "mode '" + request.mode() + "' is not octet or netascii", "refused");
                return;
            }
        }
        if (metrics.active.get() >= config.maxTransfers()) {
            refuse(host, port, request.filename(), ErrorCode.NOT_DEFINED, "server busy, retry later", "busy");
            return;
        }
        Path file;
        try {
            file = paths.resolve(request.filename());
        } catch (SafePaths.Refused e) {
            refuse(host, port, request.filename(), e.code(), e.getMessage(),
                    e.code() == ErrorCode.FILE_NOT_FOUND ? "not-found" : "refused");
            LOG.debugf("%s:%d asked for '%s': %s", host, port, request.filename(), e.getMessage());
            return;
        }
        FileCache.Handle source;
        try {
            source = cache.open(file, mode);
        } catch (IOException e) {
            refuse(host, port, request.filename(), ErrorCode.ACCESS_VIOLATION, "cannot read " + request.filename(), "refused");
            LOG.warnf("cannot read %s: %s", file, e.toString());
            return;
        }
        Negotiation negotiation;
        try {
            negotiation = Negotiation.of(request, source.size(), limits);
        } catch (Negotiation.Refused e) {
            source.close();
            refuse(host, port, request.filename(), ErrorCode.OPTION_REFUSED, e.getMessage(), "refused");
            return;
        }
        metrics.active.incrementAndGet();
        Transfer transfer = new Transfer(source, negotiation, config.maxRetries());
        TftpFacts.Client client = facts.client(host, port);
        facts.started(client, request.filename(), mode.name().toLowerCase(Locale.ROOT), negotiation.blksize(),
                negotiation.windowsize(), source.size());
        String endpoint = host + ":" + port;
        inProgress.add(endpoint);
        io.netty.channel.EventLoop loop = transferLoops.next();
        InetSocketAddress peer = new InetSocketAddress(literal(host), port);
        loop.execute(() -> TftpSession.start(vertx, loop, transferBind, client, peer, request.filename(), transfer, source,
                metrics, facts, () -> context.runOnContext(x -> inProgress.remove(endpoint))));
    }

    /** A sender's address as Vert.x reports it is always an IP literal: parsing it never asks DNS. */
    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    /** An ERROR from the well-known port: the request never became a transfer. */
    private void refuse(String host, int port, String file, ErrorCode code, String message, String outcome) {
        socket.send(Buffer.buffer(TftpCodec.encode(new TftpPacket.Error(code, message))), port, host);
        metrics.errorSent(code.name().toLowerCase(Locale.ROOT));
        metrics.transfer(outcome);
        facts.failed(facts.client(host, port), file, outcome, message, 0, 0);
    }

    public Optional<String> listeningOn() {
        return Optional.ofNullable(listeningOn);
    }

    public int port() {
        return socket.localAddress().port();
    }
}
