package io.pxewings.bmc.ipmi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.pxewings.bmc.codec.ChannelAuthCapabilities;
import io.pxewings.bmc.codec.CipherSuite;
import io.pxewings.bmc.codec.Commands;
import io.pxewings.bmc.codec.CompletionCode;
import io.pxewings.bmc.codec.IpmiRequest;
import io.pxewings.bmc.codec.IpmiResponse;
import io.pxewings.bmc.codec.MalformedIpmiException;
import io.pxewings.bmc.codec.OpenSession;
import io.pxewings.bmc.codec.Rakp;
import io.pxewings.bmc.codec.RmcpPlusStatus;
import io.pxewings.bmc.codec.SessionKeys;
import io.pxewings.bmc.codec.SessionPacket;

/**
 * One RMCP+ session with one BMC, opened on first use, reused, kept alive while in use and
 * closed when idle or on shutdown (IPMI v2.0 §13.14-13.23, §22.19).
 *
 * <ul>
 * <li><b>One exchange at a time.</b> Operations queue behind each other: a BMC gets one request
 * in flight from this client, never a burst.</li>
 * <li><b>Lost datagrams</b> are sent again after the timeout, doubling, up to {@code attempts};
 * a resent request keeps its IPMI sequence number, so a BMC that did get the first copy can
 * answer "duplicate" (completion code CFh, §5.2) instead of acting twice.</li>
 * <li><b>Cipher suites</b> are tried in order (17, then 3): a BMC that drops a suite-17 Open
 * Session (ipmi_sim does) or refuses it gets suite 3; the suite that worked is remembered. An
 * answer naming other algorithms than asked is refused (OpenSession), never used.</li>
 * <li><b>A session that stops answering</b> is dropped; the next operation opens a new one. A
 * read-only request is retried once in the new session; a control request is not (it may have
 * been carried out: the caller confirms by reading the state).</li>
 * </ul>
 *
 * <p>Thread-safe: datagrams arrive on the transport's thread, timeouts on the timer's.
 */
public final class IpmiSession implements AutoCloseable {

    /**
     * @param suites    cipher suites to try, in order (never 0)
     * @param privilege the privilege level to ask for (4 administrator, 3 operator)
     * @param timeout   first wait for an answer; doubled on each resend
     * @param attempts  sends per exchange
     * @param keepAlive how often an idle session is touched (Get Device ID): BMCs drop sessions
     *                  idle for 30-60 s (OpenIPMI: 30 s)
     * @param idleClose a session unused for this long is closed: a BMC has few session slots
     */
    public record Settings(List<CipherSuite> suites, int privilege, Duration timeout, int attempts, Duration keepAlive,
                           Duration idleClose) {
    }

    /** What happens on the wire, for metrics. */
    public interface Listener {
        default void malformed(String reason) {
        }

        default void resent() {
        }

        default void opened(CipherSuite suite) {
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final InetSocketAddress bmc;
    private final IpmiCredentials credentials;
    private final Settings settings;
    private final UdpTransport transport;
    private final ScheduledExecutorService timer;
    private final Listener listener;

    // Guarded by this.
    private boolean active;
    private boolean closed;
    private CipherSuite suite;
    private CipherSuite worked;
    private SessionKeys keys;
    private int consoleSid;
    private int bmcSid;
    private int outSeq;
    private int rqSeq;
    private long highestIn;
    private int tag;
    private Exchange<?> pending;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private long lastUsedNanos = System.nanoTime();
    private ScheduledFuture<?> upkeep;

    public IpmiSession(InetSocketAddress bmc, IpmiCredentials credentials, Settings settings, UdpTransport transport,
                       ScheduledExecutorService timer, Listener listener) {
        if (settings.suites().isEmpty()) {
            throw new IllegalArgumentException("no cipher suite to offer");
        }
        this.bmc = bmc;
        this.credentials = credentials;
        this.settings = settings;
        this.transport = transport;
        this.timer = timer;
        this.listener = listener;
        transport.register(bmc, this::onDatagram);
    }

    public InetSocketAddress bmc() {
        return bmc;
    }

    /** The suite of the active session, or null. */
    public synchronized CipherSuite suite() {
        return active ? suite : null;
    }

    public synchronized boolean active() {
        return active;
    }

    /**
     * Sends {@code request} in the session (opening it first when needed) and returns the
     * answer, whatever its completion code. {@code readOnly} requests are retried once in a new
     * session when the old one stopped answering.
     */
    public CompletableFuture<IpmiResponse> execute(IpmiRequest request, boolean readOnly) {
        return serial(() -> ensureActive().thenCompose(v -> call(request)).handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(r);
            }
            Throwable cause = unwrap(e);
            if (cause instanceof IpmiException ie && ie.unreachable()) {
                dropSession();
                if (readOnly) {
                    return ensureActive().thenCompose(v -> call(request));
                }
            }
            return CompletableFuture.<IpmiResponse>failedFuture(cause);
        }).thenCompose(f -> f));
    }

    /** {@link #execute} that fails with the completion code's meaning unless it is 00h. */
    public CompletableFuture<byte[]> executeOk(IpmiRequest request, boolean readOnly) {
        return execute(request, readOnly).thenApply(r -> {
            if (r.completionCode() != CompletionCode.OK) {
                throw new IpmiException("completion-code", "BMC " + bmc + " answered " + name(request) + " with "
                        + CompletionCode.describe(r.completionCode()), r.completionCode());
            }
            return r.data();
        });
    }

    /** Closes the session on the BMC (Close Session, one try) and stops listening. */
    @Override
    public void close() {
        CompletableFuture<?> done = serial(() -> {
            synchronized (this) {
                closed = true;
            }
            return closeOnBmc();
        });
        try {
            done.get(settings.timeout().toMillis() * 2 + 500, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // The BMC drops the session itself when idle; nothing to wait for.
        }
        transport.unregister(bmc);
    }

    // --- session set-up -----------------------------------------------------------------------

    private CompletableFuture<Void> ensureActive() {
        synchronized (this) {
            lastUsedNanos = System.nanoTime();
            if (closed) {
                return CompletableFuture.failedFuture(new IpmiException("closed", "session with " + bmc + " is closed"));
            }
            if (active) {
                return CompletableFuture.completedFuture(null);
            }
        }
        IpmiRequest caps = Commands.getChannelAuthCapabilities(settings.privilege());
        return exchange("Get Channel Authentication Capabilities", () -> SessionPacket.v15(caps.encode(0)), settings.attempts(), d -> {
            SessionPacket.Decoded p = SessionPacket.decode(d);
            if (p.authType() != SessionPacket.AUTH_TYPE_NONE) {
                return null;
            }
            IpmiResponse r = IpmiResponse.decode(p.payload());
            if (!r.answers(caps, 0)) {
                return null;
            }
            if (r.completionCode() != CompletionCode.OK) {
                throw new IpmiException("completion-code", "BMC " + bmc + " answered Get Channel Authentication Capabilities with "
                        + CompletionCode.describe(r.completionCode()), r.completionCode());
            }
            return ChannelAuthCapabilities.decode(r.data());
        }).thenCompose(c -> {
            if (!c.ipmi20()) {
                throw new IpmiException("no-ipmi20", "BMC " + bmc + " does not speak IPMI v2.0 (RMCP+)");
            }
            boolean known;
            synchronized (this) {
                known = worked != null;
            }
            return known ? CompletableFuture.completedFuture(java.util.Set.<Integer>of()) : cipherSuites(0, new java.io.ByteArrayOutputStream());
        }).thenCompose(spoken -> {
            List<CipherSuite> order = suitesToTry();
            if (!spoken.isEmpty()) {
                List<CipherSuite> both = order.stream().filter(s -> spoken.contains(s.id())).toList();
                order = both.isEmpty() ? order : both;   // none in common: try ours anyway (the list may be wrong)
            }
            return open(order, 0);
        });
    }

    /**
     * The suites the BMC says it speaks (Get Channel Cipher Suites, §22.15, outside a session), or
     * an empty set when it does not say: then the configured suites are tried in order.
     */
    private CompletableFuture<java.util.Set<Integer>> cipherSuites(int index, java.io.ByteArrayOutputStream records) {
        IpmiRequest q = Commands.getChannelCipherSuites(index);
        return exchange("Get Channel Cipher Suites", () -> SessionPacket.v15(q.encode(0)), Math.min(2, settings.attempts()), d -> {
            SessionPacket.Decoded p = SessionPacket.decode(d);
            if (p.authType() != SessionPacket.AUTH_TYPE_NONE) {
                return null;
            }
            IpmiResponse r = IpmiResponse.decode(p.payload());
            return r.answers(q, 0) ? r : null;
        }).handle((r, e) -> {
            if (e != null || r.completionCode() != CompletionCode.OK) {
                return CompletableFuture.completedFuture(java.util.Set.<Integer>of());
            }
            byte[] chunk;
            try {
                chunk = io.pxewings.bmc.codec.CipherSuiteRecords.records(r.data());
            } catch (MalformedIpmiException bad) {
                return CompletableFuture.completedFuture(java.util.Set.<Integer>of());
            }
            records.writeBytes(chunk);
            if (chunk.length == 16 && index < 3) {
                return cipherSuites(index + 1, records);
            }
            return CompletableFuture.completedFuture(io.pxewings.bmc.codec.CipherSuiteRecords.suites(records.toByteArray()));
        }).thenCompose(f -> f);
    }

    private synchronized List<CipherSuite> suitesToTry() {
        if (worked == null) {
            return settings.suites();
        }
        List<CipherSuite> order = new java.util.ArrayList<>(settings.suites());
        order.remove(worked);
        order.add(0, worked);
        return order;
    }

    private CompletableFuture<Void> open(List<CipherSuite> suites, int i) {
        CipherSuite s = suites.get(i);
        boolean last = i == suites.size() - 1;
        return handshake(s, last).handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = unwrap(e);
            if (!last && cause instanceof IpmiException ie && ie.reason().startsWith("suite-")) {
                return open(suites, i + 1);
            }
            return CompletableFuture.<Void>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /** Open Session, RAKP 1-4, Set Session Privilege Level. */
    private CompletableFuture<Void> handshake(CipherSuite s, boolean last) {
        int sidM = nonZeroRandom();
        byte[] rm = randomBytes(16);
        int t = nextTag();
        int role = settings.privilege() | 0x10;   // name-only lookup (§13.20)
        String user = credentials.user();
        // A BMC that does not speak a suite may drop the request silently (ipmi_sim and suite 17):
        // fewer sends before trying the next suite.
        int attempts = last ? settings.attempts() : Math.min(2, settings.attempts());
        return exchange("Open Session (" + s + ")", () -> SessionPacket.plain(SessionPacket.PAYLOAD_OPEN_SESSION_REQUEST,
                OpenSession.request(t, 0, sidM, s)), attempts, d -> {
                    SessionPacket.Decoded p = SessionPacket.decode(d);
                    if (p.payloadType() != SessionPacket.PAYLOAD_OPEN_SESSION_RESPONSE) {
                        return null;
                    }
                    try {
                        return OpenSession.response(p.payload(), t, sidM, s);
                    } catch (MalformedIpmiException e) {
                        if (e.reason().equals("algorithm-mismatch")) {
                            throw new IpmiException("suite-mismatch", "BMC " + bmc + ": " + e.getMessage());
                        }
                        throw e;
                    }
                }).handle((r, e) -> {
                    if (e != null) {
                        Throwable cause = unwrap(e);
                        if (cause instanceof IpmiException ie && ie.unreachable()) {
                            throw new IpmiException("suite-timeout", "BMC " + bmc + " did not answer an Open Session for " + s);
                        }
                        throw new CompletionException(cause);
                    }
                    if (r.status() == 0x11 || r.status() == 0x04 || r.status() == 0x05 || r.status() == 0x10) {
                        throw new IpmiException("suite-refused", "BMC " + bmc + " refused " + s + ": "
                                + RmcpPlusStatus.describe(r.status()));
                    }
                    if (r.status() != 0) {
                        throw new IpmiException("open-session-refused", "BMC " + bmc + " refused the session: "
                                + RmcpPlusStatus.describe(r.status()));
                    }
                    return r.bmcSessionId();
                }).thenCompose(bmcId -> exchange("RAKP 1", () -> SessionPacket.plain(SessionPacket.PAYLOAD_RAKP_1,
                        Rakp.message1(t, bmcId, rm, role, user)), settings.attempts(), d -> {
                            SessionPacket.Decoded p = SessionPacket.decode(d);
                            return p.payloadType() == SessionPacket.PAYLOAD_RAKP_2 ? Rakp.message2(p.payload(), s) : null;
                        }).thenCompose(m2 -> {
                            if (m2.status() != 0) {
                                throw new IpmiException("auth-failed", "BMC " + bmc + " refused user '" + user + "': "
                                        + RmcpPlusStatus.describe(m2.status()));
                            }
                            if (m2.consoleSessionId() != sidM || m2.tag() != (t & 0xff)) {
                                throw new IpmiException("auth-failed", "BMC " + bmc + ": RAKP 2 for another session");
                            }
                            byte[] kuid = credentials.password();
                            byte[] expected = Rakp.message2Code(s, kuid, sidM, bmcId, rm, m2.rc(), m2.guid(), role, user);
                            if (!Rakp.same(expected, m2.authCode())) {
                                throw new IpmiException("auth-failed", "BMC " + bmc + ": RAKP 2 code does not match: wrong password"
                                        + " for user '" + user + "', or a BMC that does not know it");
                            }
                            SessionKeys k = SessionKeys.derive(s, kuid, credentials.kg(), rm, m2.rc(), role, user);
                            return exchange("RAKP 3", () -> SessionPacket.plain(SessionPacket.PAYLOAD_RAKP_3,
                                    Rakp.message3(t, bmcId, s, kuid, m2.rc(), sidM, role, user)), settings.attempts(), d -> {
                                        SessionPacket.Decoded p = SessionPacket.decode(d);
                                        return p.payloadType() == SessionPacket.PAYLOAD_RAKP_4 ? Rakp.message4(p.payload(), s) : null;
                                    }).thenApply(m4 -> {
                                        if (m4.status() != 0) {
                                            throw new IpmiException("auth-failed", "BMC " + bmc + " refused RAKP 3: "
                                                    + RmcpPlusStatus.describe(m4.status()));
                                        }
                                        if (!Rakp.same(Rakp.message4Code(k, rm, bmcId, m2.guid()), m4.icv())) {
                                            throw new IpmiException("auth-failed", "BMC " + bmc + ": RAKP 4 integrity check value does not match");
                                        }
                                        activate(s, k, sidM, bmcId);
                                        return null;
                                    });
                        }))
                .thenCompose(v -> call(Commands.setSessionPrivilegeLevel(settings.privilege()))).thenAccept(r -> {
                    if (r.completionCode() != CompletionCode.OK) {
                        dropSession();
                        throw new IpmiException("completion-code", "BMC " + bmc + " refused privilege level " + settings.privilege()
                                + ": " + CompletionCode.describe(r.completionCode()), r.completionCode());
                    }
                    listener.opened(s);
                });
    }

    private synchronized void activate(CipherSuite s, SessionKeys k, int sidM, int bmcId) {
        active = true;
        suite = s;
        worked = s;
        keys = k;
        consoleSid = sidM;
        bmcSid = bmcId;
        outSeq = 1;   // session sequence numbers start at 1 and skip 0 (§6.12.13)
        highestIn = 0;
        lastUsedNanos = System.nanoTime();
        if (upkeep == null) {
            long every = settings.keepAlive().toMillis();
            upkeep = timer.scheduleWithFixedDelay(this::upkeep, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void dropSession() {
        active = false;
        keys = null;
        if (upkeep != null) {
            upkeep.cancel(false);
            upkeep = null;
        }
    }

    /** Keeps a session in use alive; closes one idle past {@code idleClose}. */
    private void upkeep() {
        long idle;
        synchronized (this) {
            if (!active || closed || pending != null) {
                return;
            }
            idle = System.nanoTime() - lastUsedNanos;
        }
        if (idle >= settings.idleClose().toNanos()) {
            serial(this::closeOnBmc);
        } else if (idle >= settings.keepAlive().toNanos() / 2) {
            serial(() -> call(Commands.getDeviceId()).handle((r, e) -> {
                if (e != null) {
                    dropSession();
                }
                return null;
            }));
        }
    }

    private CompletableFuture<Void> closeOnBmc() {
        int id;
        synchronized (this) {
            if (!active) {
                return CompletableFuture.completedFuture(null);
            }
            id = bmcSid;
        }
        return exchangeIn(Commands.closeSession(id), 1).handle((r, e) -> {
            dropSession();
            return null;
        });
    }

    // --- requests in the session --------------------------------------------------------------

    private CompletableFuture<IpmiResponse> call(IpmiRequest request) {
        return exchangeIn(request, settings.attempts());
    }

    private CompletableFuture<IpmiResponse> exchangeIn(IpmiRequest request, int attempts) {
        int seq;
        synchronized (this) {
            if (!active) {
                return CompletableFuture.failedFuture(new IpmiException("closed", "no active session with " + bmc));
            }
            rqSeq = (rqSeq + 1) & 0x3f;
            seq = rqSeq;
        }
        byte[] message = request.encode(seq);
        return exchange(name(request), () -> securedNext(message), attempts, d -> {
            SessionPacket.Decoded p = SessionPacket.decode(d);
            if (p.authType() != SessionPacket.AUTH_TYPE_RMCP_PLUS || p.payloadType() != SessionPacket.PAYLOAD_IPMI) {
                return null;
            }
            SessionKeys k;
            synchronized (this) {
                if (!active) {
                    return null;
                }
                if (p.sessionId() != consoleSid) {
                    throw new MalformedIpmiException("wrong-session", "session id " + Integer.toHexString(p.sessionId()));
                }
                long s = Integer.toUnsignedLong(p.sequence());
                // §6.12.13: zero is never used; a number 16 or more below the highest seen is a replay.
                if (s == 0 || s + 16 <= highestIn) {
                    throw new MalformedIpmiException("bad-sequence", "session sequence " + s + " (highest " + highestIn + ")");
                }
                k = keys;
            }
            IpmiResponse r = IpmiResponse.decode(SessionPacket.open(p, k));
            if (!r.answers(request, seq)) {
                return null;
            }
            synchronized (this) {
                highestIn = Math.max(highestIn, Integer.toUnsignedLong(p.sequence()));
            }
            return r;
        });
    }

    private synchronized byte[] securedNext(byte[] message) {
        int seq = outSeq;
        outSeq = outSeq == -1 ? 1 : outSeq + 1;
        return SessionPacket.secured(keys, bmcSid, seq, message, randomBytes(16));
    }

    // --- one exchange: send, wait, resend ------------------------------------------------------

    /** Reads an answer: the value, null for a datagram that is not this exchange's, or an exception. */
    @FunctionalInterface
    private interface Reader<R> {
        R read(byte[] datagram) throws MalformedIpmiException;
    }

    private final class Exchange<R> {
        final String what;
        final Supplier<byte[]> packet;
        final Reader<R> reader;
        final CompletableFuture<R> result = new CompletableFuture<>();
        int sendsLeft;
        long waitMillis;
        ScheduledFuture<?> timeout;

        Exchange(String what, Supplier<byte[]> packet, int attempts, Reader<R> reader) {
            this.what = what;
            this.packet = packet;
            this.reader = reader;
            this.sendsLeft = attempts;
            this.waitMillis = settings.timeout().toMillis();
        }
    }

    private <R> CompletableFuture<R> exchange(String what, Supplier<byte[]> packet, int attempts, Reader<R> reader) {
        Exchange<R> x = new Exchange<>(what, packet, attempts, reader);
        synchronized (this) {
            if (pending != null) {
                return CompletableFuture.failedFuture(new IllegalStateException("two exchanges at once with " + bmc));
            }
            pending = x;
        }
        send(x);
        return x.result;
    }

    private <R> void send(Exchange<R> x) {
        byte[] datagram;
        synchronized (this) {
            if (pending != x) {
                return;
            }
            x.sendsLeft--;
            datagram = x.packet.get();
            x.timeout = timer.schedule(() -> timedOut(x), x.waitMillis, TimeUnit.MILLISECONDS);
        }
        try {
            transport.send(bmc, datagram);
        } catch (IOException e) {
            // Unreachable network: the timeout reports it, as for a lost datagram.
        }
    }

    private <R> void timedOut(Exchange<R> x) {
        boolean again;
        synchronized (this) {
            if (pending != x) {
                return;
            }
            again = x.sendsLeft > 0;
            if (again) {
                x.waitMillis = Math.min(x.waitMillis * 2, 8_000);
            } else {
                pending = null;
            }
        }
        if (again) {
            listener.resent();
            send(x);
        } else {
            x.result.completeExceptionally(new IpmiException("timeout", "BMC " + bmc + " did not answer " + x.what));
        }
    }

    private void onDatagram(byte[] datagram) {
        Exchange<?> x;
        synchronized (this) {
            x = pending;
        }
        if (x == null) {
            listener.malformed("unexpected");
            return;
        }
        deliver(x, datagram);
    }

    private <R> void deliver(Exchange<R> x, byte[] datagram) {
        R value;
        try {
            value = x.reader.read(datagram);
        } catch (MalformedIpmiException e) {
            listener.malformed(e.reason());
            return;
        } catch (IpmiException e) {
            if (finish(x)) {
                x.result.completeExceptionally(e);
            }
            return;
        }
        if (value == null) {
            listener.malformed("unexpected");
        } else if (finish(x)) {
            x.result.complete(value);
        }
    }

    private synchronized boolean finish(Exchange<?> x) {
        if (pending != x) {
            return false;
        }
        pending = null;
        if (x.timeout != null) {
            x.timeout.cancel(false);
        }
        return true;
    }

    // --- helpers -------------------------------------------------------------------------------

    private synchronized <T> CompletableFuture<T> serial(Supplier<CompletableFuture<T>> op) {
        CompletableFuture<T> next = tail.handle((v, e) -> null).thenCompose(v -> op.get());
        tail = next;
        return next;
    }

    private synchronized int nextTag() {
        tag = (tag + 1) & 0xff;
        return tag;
    }

    private static int nonZeroRandom() {
        int v;
        do {
            v = RANDOM.nextInt();
        } while (v == 0);
        return v;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    static String name(IpmiRequest r) {
        return String.format("netFn %02Xh cmd %02Xh", r.netFn(), r.cmd());
    }
}
