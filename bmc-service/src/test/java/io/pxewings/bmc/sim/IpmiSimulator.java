package io.pxewings.bmc.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.pxewings.bmc.codec.BootFlags;
import io.pxewings.bmc.codec.CipherSuite;
import io.pxewings.bmc.codec.IpmiRequest;
import io.pxewings.bmc.codec.IpmiResponse;
import io.pxewings.bmc.codec.MalformedIpmiException;
import io.pxewings.bmc.codec.OpenSession;
import io.pxewings.bmc.codec.Rakp;
import io.pxewings.bmc.codec.SessionKeys;
import io.pxewings.bmc.codec.SessionPacket;

/**
 * The project's own IPMI v2.0 BMC, for what no Debian peer offers: cipher suite 17 (ipmi_sim
 * stops at 14) and hundreds of BMCs at once for load. Each simulated BMC listens on its own
 * loopback port; one selector thread serves them all. It speaks RMCP+ with suites 17 and 3 only,
 * keeps power and boot flags, and can be told to stop answering or to drop datagrams.
 *
 * <p>It is written with the codec it tests, so it is checked against clients no one here wrote:
 * {@code ipmitool -I lanplus -C 17} and -C 3 and freeipmi's {@code ipmipower} (IpmiSimulatorTest).
 */
public final class IpmiSimulator implements AutoCloseable {

    /** One simulated BMC's observable state. */
    public static final class Bmc {
        final DatagramChannel channel;
        final int port;
        final String user;
        final byte[] password;
        final Set<Integer> suites;
        volatile boolean powerOn;
        volatile BootFlags bootFlags = new BootFlags(false, false, false, BootFlags.BootDevice.NONE);
        volatile boolean silent;
        /** When set, power-on commands are accepted but the power stays off (a BMC that lies). */
        volatile boolean ignorePowerOn;
        final AtomicInteger dropNext = new AtomicInteger();
        final AtomicInteger dropAnswers = new AtomicInteger();
        /** Answer a power cycle of a machine that is off with D5h, as many BMCs do. */
        volatile boolean refuseCycleWhenOff;
        final AtomicLong requests = new AtomicLong();
        final AtomicInteger sessionsOpened = new AtomicInteger();
        final AtomicInteger sessionsClosed = new AtomicInteger();
        final List<String> controls = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<Integer, Session> sessions = new HashMap<>();
        private int nextSid = 0x0200;

        Bmc(DatagramChannel channel, int port, String user, byte[] password, Set<Integer> suites) {
            this.channel = channel;
            this.port = port;
            this.user = user;
            this.password = password;
            this.suites = suites;
        }

        public InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        public boolean powerOn() {
            return powerOn;
        }

        public void powerOn(boolean on) {
            powerOn = on;
        }

        public BootFlags bootFlags() {
            return bootFlags;
        }

        /** Stop (or resume) answering anything, as a BMC that hangs or loses power. */
        public void silent(boolean s) {
            silent = s;
        }

        public void ignorePowerOn(boolean ignore) {
            ignorePowerOn = ignore;
        }

        /** Drop the next {@code n} datagrams received, as a lossy network would. */
        public void dropNext(int n) {
            dropNext.set(n);
        }

        /** Carry out the next {@code n} requests but lose their answers, as a lossy network would. */
        public void dropAnswers(int n) {
            dropAnswers.set(n);
        }

        public void refuseCycleWhenOff(boolean refuse) {
            refuseCycleWhenOff = refuse;
        }

        public long requests() {
            return requests.get();
        }

        public int sessionsOpened() {
            return sessionsOpened.get();
        }

        public int sessionsClosed() {
            return sessionsClosed.get();
        }

        /** The chassis controls carried out, in order ("on", "off", "cycle", "reset", "soft"). */
        public List<String> controls() {
            synchronized (controls) {
                return List.copyOf(controls);
            }
        }

        synchronized int openSessions() {
            return sessions.size();
        }
    }

    static final class Session {
        int consoleSid;
        int bmcSid;
        CipherSuite suite;
        byte[] rm;
        byte[] rc;
        int role;
        String user;
        SessionKeys keys;
        boolean active;
        int outSeq = 1;
        /** Request sequence numbers answered, for duplicate detection (§5.2, CFh). */
        int lastRqSeq = -1;
        IpmiResponse lastAnswer;
    }

    static final byte[] GUID = java.util.HexFormat.of().parseHex("5057494e47532d53494d2d424d432d31");   // "PWINGS-SIM-BMC-1"
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Selector selector;
    private final Thread thread;
    private final List<Bmc> bmcs = new ArrayList<>();
    private volatile boolean closed;

    public IpmiSimulator() throws IOException {
        selector = Selector.open();
        thread = new Thread(this::serve, "ipmi-simulator");
        thread.setDaemon(true);
    }

    /** Adds a BMC on a free loopback port speaking {@code suites} (17, 3 or both). */
    public synchronized Bmc add(String user, String password, Set<Integer> suites) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ch.configureBlocking(false);
        Bmc bmc = new Bmc(ch, ((InetSocketAddress) ch.getLocalAddress()).getPort(), user, password.getBytes(), suites);
        bmcs.add(bmc);
        ch.register(selector, SelectionKey.OP_READ, bmc);   // JDK 11+: no need to stop the select first
        selector.wakeup();
        return bmc;
    }

    public IpmiSimulator start() {
        thread.start();
        return this;
    }

    private void serve() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        while (!closed) {
            try {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    Bmc bmc = (Bmc) key.attachment();
                    buffer.clear();
                    SocketAddress from = ((DatagramChannel) key.channel()).receive(buffer);
                    if (from == null) {
                        continue;
                    }
                    buffer.flip();
                    byte[] data = new byte[buffer.remaining()];
                    buffer.get(data);
                    if (bmc.silent || bmc.dropNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        continue;
                    }
                    byte[] answer;
                    try {
                        answer = answer(bmc, data);
                    } catch (MalformedIpmiException | RuntimeException e) {
                        answer = null;   // a real BMC drops what it cannot read
                    }
                    if (answer != null && bmc.dropAnswers.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                        bmc.channel.send(ByteBuffer.wrap(answer), from);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private byte[] answer(Bmc bmc, byte[] d) throws MalformedIpmiException {
        SessionPacket.Decoded p = SessionPacket.decode(d);
        if (p.authType() == SessionPacket.AUTH_TYPE_NONE) {
            IpmiRequest.Received r = IpmiRequest.decode(p.payload());
            if (r.request().netFn() == 0x06 && r.request().cmd() == 0x38) {
                // Channel 1, extended capabilities, no v1.5 auth types, non-null user names, IPMI v1.5 and v2.0.
                byte[] caps = {0x01, (byte) 0x80, 0x04, 0x03, 0, 0, 0, 0};
                return SessionPacket.v15(IpmiResponse.to(r, 0, caps).encode());
            }
            if (r.request().netFn() == 0x06 && r.request().cmd() == 0x54) {
                // Get Channel Cipher Suites (§22.15): the records of the suites this BMC speaks, all in the first answer.
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                out.write(0x01);
                if ((r.request().data()[2] & 0x3f) == 0) {
                    if (bmc.suites.contains(17)) {
                        out.writeBytes(new byte[] {(byte) 0xc0, 17, 0x03, 0x44, (byte) 0x81});
                    }
                    if (bmc.suites.contains(3)) {
                        out.writeBytes(new byte[] {(byte) 0xc0, 3, 0x01, 0x41, (byte) 0x81});
                    }
                }
                return SessionPacket.v15(IpmiResponse.to(r, 0, out.toByteArray()).encode());
            }
            return null;
        }
        synchronized (bmc) {
            return switch (p.payloadType()) {
                case SessionPacket.PAYLOAD_OPEN_SESSION_REQUEST -> openSession(bmc, p.payload());
                case SessionPacket.PAYLOAD_RAKP_1 -> rakp1(bmc, p.payload());
                case SessionPacket.PAYLOAD_RAKP_3 -> rakp3(bmc, p.payload());
                case SessionPacket.PAYLOAD_IPMI -> inSession(bmc, p);
                default -> null;
            };
        }
    }

    private byte[] openSession(Bmc bmc, byte[] payload) throws MalformedIpmiException {
        OpenSession.Request r = OpenSession.parseRequest(payload);
        CipherSuite suite = null;
        for (CipherSuite s : List.of(CipherSuite.SUITE_17, CipherSuite.SUITE_3)) {
            if (bmc.suites.contains(s.id()) && s.authAlgorithm() == r.authAlgorithm() && s.integrityAlgorithm() == r.integrityAlgorithm()
                    && s.confidentialityAlgorithm() == r.confidentialityAlgorithm()) {
                suite = s;
            }
        }
        if (suite == null) {
            return SessionPacket.plain(SessionPacket.PAYLOAD_OPEN_SESSION_RESPONSE,
                    OpenSession.response(r.tag(), 0x11, 0, r.consoleSessionId(), 0, CipherSuite.SUITE_3));
        }
        if (bmc.sessions.size() >= 8) {   // BMCs have few session slots; this one has 8
            return SessionPacket.plain(SessionPacket.PAYLOAD_OPEN_SESSION_RESPONSE,
                    OpenSession.response(r.tag(), 0x01, 0, r.consoleSessionId(), 0, suite));
        }
        Session s = new Session();
        s.consoleSid = r.consoleSessionId();
        s.bmcSid = bmc.nextSid++;
        s.suite = suite;
        bmc.sessions.put(s.bmcSid, s);
        return SessionPacket.plain(SessionPacket.PAYLOAD_OPEN_SESSION_RESPONSE,
                OpenSession.response(r.tag(), 0, 4, s.consoleSid, s.bmcSid, suite));
    }

    private byte[] rakp1(Bmc bmc, byte[] payload) throws MalformedIpmiException {
        Rakp.Message1 m = Rakp.parseMessage1(payload);
        Session s = bmc.sessions.get(m.bmcSessionId());
        if (s == null) {
            return null;
        }
        if (!m.user().equals(bmc.user)) {
            bmc.sessions.remove(s.bmcSid);
            return SessionPacket.plain(SessionPacket.PAYLOAD_RAKP_2, Rakp.message2(m.tag(), 0x0d, s.consoleSid, null, null, null));
        }
        s.rm = m.rm();
        s.role = m.role();
        s.user = m.user();
        s.rc = new byte[16];
        RANDOM.nextBytes(s.rc);
        byte[] code = Rakp.message2Code(s.suite, bmc.password, s.consoleSid, s.bmcSid, s.rm, s.rc, GUID, s.role, s.user);
        return SessionPacket.plain(SessionPacket.PAYLOAD_RAKP_2, Rakp.message2(m.tag(), 0, s.consoleSid, s.rc, GUID, code));
    }

    private byte[] rakp3(Bmc bmc, byte[] payload) throws MalformedIpmiException {
        Session s = null;
        if (payload.length >= 8) {
            int sid = (payload[4] & 0xff) | (payload[5] & 0xff) << 8 | (payload[6] & 0xff) << 16 | (payload[7] & 0xff) << 24;
            s = bmc.sessions.get(sid);
        }
        if (s == null || s.rc == null) {
            return null;
        }
        Rakp.Message3 m = Rakp.parseMessage3(payload, s.suite);
        byte[] expected = Rakp.message3Code(s.suite, bmc.password, s.rc, s.consoleSid, s.role, s.user);
        if (m.status() != 0 || !Rakp.same(expected, m.authCode())) {
            bmc.sessions.remove(s.bmcSid);
            return SessionPacket.plain(SessionPacket.PAYLOAD_RAKP_4, Rakp.message4(m.tag(), 0x0f, s.consoleSid, null));
        }
        s.keys = SessionKeys.derive(s.suite, bmc.password, null, s.rm, s.rc, s.role, s.user);
        s.active = true;
        bmc.sessionsOpened.incrementAndGet();
        return SessionPacket.plain(SessionPacket.PAYLOAD_RAKP_4,
                Rakp.message4(m.tag(), 0, s.consoleSid, Rakp.message4Code(s.keys, s.rm, s.bmcSid, GUID)));
    }

    private byte[] inSession(Bmc bmc, SessionPacket.Decoded p) throws MalformedIpmiException {
        Session s = bmc.sessions.get(p.sessionId());
        if (s == null || !s.active) {
            return null;
        }
        IpmiRequest.Received r = IpmiRequest.decode(SessionPacket.open(p, s.keys));
        bmc.requests.incrementAndGet();
        IpmiResponse answer;
        if (r.seq() == s.lastRqSeq && s.lastAnswer != null) {
            answer = IpmiResponse.to(r, 0xcf, new byte[0]);   // a duplicate: not carried out twice
        } else {
            answer = execute(bmc, s, r);
            s.lastRqSeq = r.seq();
            s.lastAnswer = answer;
        }
        byte[] packet = SessionPacket.secured(s.keys, s.consoleSid, s.outSeq++, answer.encode(), iv());
        if (r.request().netFn() == 0x06 && r.request().cmd() == 0x3c && answer.completionCode() == 0) {
            bmc.sessions.remove(s.bmcSid);
            bmc.sessionsClosed.incrementAndGet();
        }
        return packet;
    }

    private IpmiResponse execute(Bmc bmc, Session s, IpmiRequest.Received r) {
        IpmiRequest q = r.request();
        byte[] d = q.data();
        int key = q.netFn() << 8 | q.cmd();
        return switch (key) {
            case 0x0601 -> IpmiResponse.to(r, 0, new byte[] {0x20, 0x01, 0x01, 0x10, 0x02, (byte) 0xbf, 0x5e, (byte) 0xc6, 0x00,
                    0x42, 0x00});   // device 20h, firmware 1.10, IPMI 2.0, manufacturer 50910 (PXE Wings test), product 42h
            case 0x063b -> IpmiResponse.to(r, d.length == 1 && (d[0] & 0x0f) <= 4 ? 0 : 0xcc, new byte[] {(byte) (d.length == 1 ? d[0] & 0x0f : 0)});
            case 0x063c -> IpmiResponse.to(r, 0, new byte[0]);
            case 0x0001 -> IpmiResponse.to(r, 0, new byte[] {(byte) (bmc.powerOn ? 0x41 : 0x40), 0x00, 0x40});
            case 0x0002 -> control(bmc, r, d);
            case 0x0008 -> setBootOption(bmc, r, d);
            case 0x0009 -> {
                BootFlags f = bmc.bootFlags;
                int b1 = (f.valid() ? 0x80 : 0) | (f.persistent() ? 0x40 : 0) | (f.efi() ? 0x20 : 0);
                yield IpmiResponse.to(r, 0, new byte[] {0x01, 0x05, (byte) b1, (byte) (f.device().selector() << 2), 0, 0, 0});
            }
            case 0x0a40 -> IpmiResponse.to(r, 0, new byte[] {0x51, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x02});
            default -> IpmiResponse.to(r, 0xc1, new byte[0]);
        };
    }

    private IpmiResponse control(Bmc bmc, IpmiRequest.Received r, byte[] d) {
        if (d.length != 1) {
            return IpmiResponse.to(r, 0xc7, new byte[0]);
        }
        switch (d[0]) {
            case 0x00 -> {
                bmc.powerOn = false;
                bmc.controls.add("off");
            }
            case 0x01 -> {
                bmc.powerOn = !bmc.ignorePowerOn;
                bmc.controls.add("on");
            }
            case 0x02 -> {
                if (!bmc.powerOn && bmc.refuseCycleWhenOff) {
                    return IpmiResponse.to(r, 0xd5, new byte[0]);
                }
                bmc.powerOn = !bmc.ignorePowerOn;
                bmc.controls.add("cycle");
            }
            case 0x03 -> bmc.controls.add("reset");
            case 0x05 -> {
                bmc.powerOn = false;
                bmc.controls.add("soft");
            }
            default -> {
                return IpmiResponse.to(r, 0xcc, new byte[0]);
            }
        }
        return IpmiResponse.to(r, 0, new byte[0]);
    }

    private IpmiResponse setBootOption(Bmc bmc, IpmiRequest.Received r, byte[] d) {
        if (d.length < 1) {
            return IpmiResponse.to(r, 0xc7, new byte[0]);
        }
        int parameter = d[0] & 0x7f;
        if (parameter == 0x05 && d.length >= 3) {
            int b1 = d[1] & 0xff;
            bmc.bootFlags = new BootFlags((b1 & 0x80) != 0, (b1 & 0x40) != 0, (b1 & 0x20) != 0, BootFlags.BootDevice.of((d[2] >>> 2) & 0x0f));
            return IpmiResponse.to(r, 0, new byte[0]);
        }
        if (parameter <= 0x04) {
            return IpmiResponse.to(r, 0, new byte[0]);
        }
        return IpmiResponse.to(r, 0x80, new byte[0]);   // parameter not supported (§28.12)
    }

    private static byte[] iv() {
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        return iv;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Bmc b : bmcs) {
            b.channel.close();
        }
        selector.close();
    }
}
