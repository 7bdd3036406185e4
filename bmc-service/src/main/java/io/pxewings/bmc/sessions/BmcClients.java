package io.pxewings.bmc.sessions;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.bmc.bmc.Bmc;
import io.pxewings.bmc.bmc.BmcCredentials;
import io.pxewings.bmc.bmc.BmcException;
import io.pxewings.bmc.codec.CipherSuite;
import io.pxewings.bmc.config.BmcConfig;
import io.pxewings.bmc.ipmi.IpmiBmc;
import io.pxewings.bmc.ipmi.IpmiCredentials;
import io.pxewings.bmc.ipmi.IpmiSession;
import io.pxewings.bmc.ipmi.UdpTransport;
import io.pxewings.bmc.redfish.RedfishBmc;
import io.pxewings.bmc.redfish.RedfishHttp;
import io.pxewings.bmc.store.Endpoints.Endpoint;
import io.pxewings.bmc.vault.Vault;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * One client per machine's BMC, made from its endpoint and the vault's credentials, kept while
 * both stay the same (so IPMI sessions and Redfish sessions are reused), replaced when either
 * changes, and closed on shutdown (IPMI Close Session, Redfish session DELETE). Every IPMI
 * session shares one UDP socket; every Redfish client one HTTP client.
 */
@ApplicationScoped
public class BmcClients {

    private static final Logger LOG = Logger.getLogger(BmcClients.class);

    @Inject
    BmcConfig config;

    @Inject
    Vault vault;

    @Inject
    MeterRegistry registry;

    private record Key(String address, String protocol, String credentialsRef, Instant credentialsChanged) {
    }

    private record Cached(Key key, Bmc bmc) {
    }

    private final Map<String, Cached> clients = new ConcurrentHashMap<>();
    private UdpTransport transport;
    private ScheduledExecutorService timer;
    private HttpClient http;
    private AllowedNetworks allowed;

    void start(@Observes StartupEvent e) throws IOException {
        allowed = new AllowedNetworks(config.allowedNetworks());
        for (int id : config.ipmi().cipherSuites()) {
            CipherSuite.of(id);   // refuses 0 and any suite not spoken, at start, naming it
        }
        transport = new UdpTransport(new InetSocketAddress(config.ipmi().bindAddress(), 0));
        timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "bmc-timer");
            t.setDaemon(true);
            return t;
        });
        http = httpClient();
        io.micrometer.core.instrument.Gauge.builder("wings_bmc_ipmi_stray_datagrams", transport, UdpTransport::strays)
                .description("IPMI datagrams from addresses no session waits on").register(registry);
        LOG.infof("BMC clients: IPMI on udp %s (suites %s), Redfish TLS %s, BMC networks %s", transport.localAddress(),
                config.ipmi().cipherSuites(), config.redfish().verifyTls() ? "verified" : "NOT verified", allowed);
    }

    void stop(@Observes ShutdownEvent e) throws IOException {
        clients.values().parallelStream().forEach(c -> c.bmc().close());
        clients.clear();
        if (transport != null) {
            transport.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** The gate key of an endpoint: one queue and one breaker per BMC address. */
    public static String key(Endpoint e) {
        return e.protocol() + "://" + e.address();
    }

    /** The client for {@code e}, made or reused; a clear BmcException when it cannot be made. */
    public Bmc of(Endpoint e) {
        if (e.credentialsRef() == null) {
            throw new BmcException("no-credentials", "machine " + e.machineId() + " has no BMC credentials reference in inventory");
        }
        Instant changed = vault.changedAt(e.credentialsRef()).orElseThrow(() -> new BmcException("no-credentials",
                "no credentials '" + e.credentialsRef() + "' in the vault (PUT /api/v1/credentials/" + e.credentialsRef() + ")"));
        Key key = new Key(e.address(), e.protocol(), e.credentialsRef(), changed);
        Cached c = clients.get(e.machineId());
        if (c != null && c.key().equals(key)) {
            return c.bmc();
        }
        // One client per machine and key, made atomically: two first callers at once (a command and
        // the power poll, right after a restart) each made one, and the second's put closed the
        // first's while its caller used it ("session ... is closed", a command failed in CI).
        Cached[] replaced = new Cached[1];
        Cached now = clients.compute(e.machineId(), (id, old) -> {
            if (old != null && old.key().equals(key)) {
                return old;
            }
            replaced[0] = old;
            return new Cached(key, make(e));
        });
        if (replaced[0] != null) {
            replaced[0].bmc().close();   // its credentials or address changed: outside the map's lock, it waits for the BMC
        }
        return now.bmc();
    }

    /** Forgets a machine's client (its endpoint went away), logging out. */
    public void forget(String machineId) {
        Cached c = clients.remove(machineId);
        if (c != null) {
            c.bmc().close();
        }
    }

    private Bmc make(Endpoint e) {
        EndpointAddress a;
        try {
            a = EndpointAddress.parse(e.address(), e.protocol());
        } catch (IllegalArgumentException bad) {
            throw new BmcException("invalid", bad.getMessage());
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(a.host());
        } catch (UnknownHostException unknown) {
            throw new BmcException("unreachable", "BMC host '" + a.host() + "' does not resolve");
        }
        if (!allowed.allows(ip)) {
            throw new BmcException("not-allowed", "BMC address " + ip.getHostAddress() + " is outside the site's BMC networks ("
                    + allowed + ", wings.bmc.allowed-networks)");
        }
        BmcCredentials creds = vault.get(e.credentialsRef()).orElseThrow(() -> new BmcException("no-credentials",
                "no credentials '" + e.credentialsRef() + "' in the vault"));
        if (e.protocol().equals("ipmi")) {
            BmcConfig.Ipmi c = config.ipmi();
            List<CipherSuite> suites = c.cipherSuites().stream().map(CipherSuite::of).toList();
            IpmiCredentials ic;
            try {
                ic = new IpmiCredentials(creds.user(), creds.password(), creds.kg());
            } catch (IllegalArgumentException bad) {
                throw new BmcException("invalid", "credentials " + e.credentialsRef() + ": " + bad.getMessage());
            }
            IpmiSession session = new IpmiSession(new InetSocketAddress(ip, a.port()), ic, new IpmiSession.Settings(suites,
                    c.privilege(), c.timeout(), c.attempts(), c.keepAlive(), c.idleClose()), transport, timer, ipmiListener());
            return new IpmiBmc(session);
        }
        BmcConfig.Redfish r = config.redfish();
        RedfishHttp client = new RedfishHttp(a.uri(), creds, new RedfishHttp.Settings(r.attempts(), r.backoff(), r.timeout()), http, timer);
        return new RedfishBmc(client, new RedfishBmc.Settings(r.taskTimeout(), Duration.ofSeconds(60), null), timer);
    }

    private IpmiSession.Listener ipmiListener() {
        return new IpmiSession.Listener() {
            @Override
            public void malformed(String reason) {
                Counter.builder("wings_bmc_ipmi_dropped").description("IPMI datagrams dropped, by reason")
                        .tag("reason", reason).register(registry).increment();
            }

            @Override
            public void resent() {
                Counter.builder("wings_bmc_ipmi_resent").description("IPMI requests sent again after no answer")
                        .register(registry).increment();
            }

            @Override
            public void opened(CipherSuite suite) {
                Counter.builder("wings_bmc_ipmi_sessions_opened").description("IPMI sessions opened, by cipher suite")
                        .tag("suite", Integer.toString(suite.id())).register(registry).increment();
            }
        };
    }

    private HttpClient httpClient() {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1);
        try {
            if (!config.redfish().verifyTls()) {
                // BMCs with self-signed certificates, when an operator says so; logged at start.
                System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
                b.sslContext(ssl);
            } else if (config.redfish().caFile().isPresent()) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                try (InputStream in = Files.newInputStream(Path.of(config.redfish().caFile().get()))) {
                    int i = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("ca-" + i++, c);
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, tmf.getTrustManagers(), new SecureRandom());
                b.sslContext(ssl);
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("wings.bmc.redfish.ca-file: " + e.getMessage(), e);
        }
        return b.build();
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
