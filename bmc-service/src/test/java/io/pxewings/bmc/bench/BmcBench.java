package io.pxewings.bmc.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.pxewings.bmc.bmc.BmcCredentials;
import io.pxewings.bmc.codec.CipherSuite;
import io.pxewings.bmc.codec.Commands;
import io.pxewings.bmc.ipmi.IpmiCredentials;
import io.pxewings.bmc.ipmi.IpmiSession;
import io.pxewings.bmc.ipmi.IpmiSimBmc;
import io.pxewings.bmc.ipmi.UdpTransport;
import io.pxewings.bmc.redfish.RedfishBmc;
import io.pxewings.bmc.redfish.RedfishHttp;
import io.pxewings.bmc.sessions.Gate;
import io.pxewings.bmc.sim.RedfishServer;

/**
 * {@code ./wings bench bmc}: bmc-service's BMC clients against the reference clients in the same
 * run, on the same BMCs: ipmitool (a process and a session per call) on OpenIPMI's ipmi_sim, and
 * sushy (Ironic's Redfish library) on the project's Redfish server. Everything on loopback;
 * every loop is bounded in time and count.
 *
 * <p>Usage: {@code BmcBench WORK_DIR SECONDS BMCS MOCKUP_DIR}.
 */
public final class BmcBench {

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int many = Integer.parseInt(args[2]);
        Path mockup = Path.of(args[3]);
        Files.createDirectories(work);
        List<String> table = new ArrayList<>();
        oneIpmiBmc(work, seconds, table);
        manyIpmiBmcs(work, many, table);
        oneRedfishService(work, mockup, seconds, table);
        System.out.println();
        System.out.println("| figure | bmc-service | reference, same run | ratio |");
        System.out.println("|---|---|---|---|");
        table.forEach(System.out::println);
    }

    /** Power status of one ipmi_sim BMC, one call after another, for SECONDS each. */
    static void oneIpmiBmc(Path work, int seconds, List<String> table) throws Exception {
        try (IpmiSimBmc bmc = new IpmiSimBmc(work.resolve("one")).start(); UdpTransport udp = transport()) {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            int refCalls = 0;
            while (System.nanoTime() < deadline && refCalls < 100_000) {
                if (!bmc.ipmitool("-C", "3", "chassis", "power", "status").contains("Chassis Power is")) {
                    throw new IllegalStateException("ipmitool failed against ipmi_sim");
                }
                refCalls++;
            }
            double ref = refCalls / (double) seconds;
            List<Long> lat = new ArrayList<>();
            try (IpmiSession s = session(bmc.address(), udp, timer)) {
                s.executeOk(Commands.getChassisStatus(), true).get(20, TimeUnit.SECONDS);   // the session, once
                deadline = System.nanoTime() + seconds * 1_000_000_000L;
                while (System.nanoTime() < deadline && lat.size() < 1_000_000) {
                    long t0 = System.nanoTime();
                    s.executeOk(Commands.getChassisStatus(), true).get(20, TimeUnit.SECONDS);
                    lat.add(System.nanoTime() - t0);
                }
            }
            timer.shutdownNow();
            double ours = lat.size() / (double) seconds;
            System.out.printf("IPMI, one BMC: ipmitool %.1f calls/s; bmc-service %.1f calls/s (p50 %.2f ms, p99 %.2f ms)%n", ref, ours,
                    pct(lat, 50), pct(lat, 99));
            table.add(String.format("| IPMI power status, one ipmi_sim BMC, calls/s | %.1f (p50 %.2f ms, p99 %.2f ms) | ipmitool %.1f "
                    + "| %.1fx |", ours, pct(lat, 50), pct(lat, 99), ref, ours / ref));
        }
    }

    /** Power status of BMCS ipmi_sim BMCs at once: the time until every one answered. */
    static void manyIpmiBmcs(Path work, int n, List<String> table) throws Exception {
        List<IpmiSimBmc> bmcs = new ArrayList<>();
        try (UdpTransport udp = transport()) {
            for (int i = 0; i < n; i++) {
                bmcs.add(new IpmiSimBmc(work.resolve("many-" + i)).start());
            }
            // ipmitool: one process per BMC, all started at once.
            long t0 = System.nanoTime();
            List<Process> ps = new ArrayList<>();
            Path pw = work.resolve("many-0").resolve("password");
            for (IpmiSimBmc b : bmcs) {
                ps.add(new ProcessBuilder("ipmitool", "-I", "lanplus", "-H", "127.0.0.1", "-p", Integer.toString(b.port()), "-U",
                        IpmiSimBmc.USER, "-f", pw.toString(), "-C", "3", "-N", "1", "-R", "4", "chassis", "power", "status")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            int refFailed = 0;
            for (Process p : ps) {
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    refFailed++;
                }
            }
            double ref = (System.nanoTime() - t0) / 1e9;
            // bmc-service: a session per BMC (cold: sessions opened in the run), through a gate of 64.
            ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
            Gate gate = new Gate(64, 3, Duration.ofSeconds(30), Duration.ofMinutes(10), java.time.Clock.systemUTC(), new Gate.Listener() {
                @Override
                public void opened(String bmc, int failures, String reason) {
                }

                @Override
                public void closed(String bmc) {
                }
            });
            List<IpmiSession> sessions = new ArrayList<>();
            for (IpmiSimBmc b : bmcs) {
                sessions.add(session(b.address(), udp, timer));
            }
            double cold = round(gate, sessions);
            double warm = round(gate, sessions);
            sessions.forEach(IpmiSession::close);
            timer.shutdownNow();
            System.out.printf("IPMI, %d BMCs at once: ipmitool %.2f s (%d failed); bmc-service cold %.2f s, warm %.2f s%n", n, ref,
                    refFailed, cold, warm);
            table.add(String.format("| IPMI power status of %d ipmi_sim BMCs at once, s until all answered | %.2f cold (sessions opened), "
                    + "%.2f warm | ipmitool %.2f (%d failed) | %.1fx cold, %.1fx warm |", n, cold, warm, ref, refFailed, ref / cold, ref / warm));
        } finally {
            for (IpmiSimBmc b : bmcs) {
                b.close();
            }
        }
    }

    static double round(Gate gate, List<IpmiSession> sessions) throws Exception {
        long t0 = System.nanoTime();
        List<CompletableFuture<byte[]>> all = new ArrayList<>();
        for (IpmiSession s : sessions) {
            all.add(gate.run(s.bmc().toString(), () -> s.executeOk(Commands.getChassisStatus(), true)));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(300, TimeUnit.SECONDS);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Power state of one Redfish service, one read after another: sushy against RedfishBmc. */
    static void oneRedfishService(Path work, Path mockup, int seconds, List<String> table) throws Exception {
        try (RedfishServer server = new RedfishServer(mockup, "root", "bench-secret").start()) {
            Path script = work.resolve("sushy_reads.py");   // not sushy.py: it would shadow the module
            Files.writeString(script, """
                    import sushy, sys, time
                    s = sushy.Sushy('%s/redfish/v1', username='root', password='bench-secret', verify=False)
                    system = s.get_system('%s')
                    n, end = 0, time.time() + %d
                    while time.time() < end and n < 1000000:
                        system.refresh(force=True)
                        assert system.power_state is not None
                        n += 1
                    print(n)
                    """.formatted(server.url(), RedfishServer.SYSTEM, seconds));
            Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(true).start();
            if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("sushy did not finish");
            }
            String out = new String(p.getInputStream().readAllBytes()).trim();
            double ref = Long.parseLong(out.substring(out.lastIndexOf('\n') + 1).trim()) / (double) seconds;
            ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
            RedfishHttp http = new RedfishHttp(URI.create(server.url()), BmcCredentials.of("root", "bench-secret"),
                    new RedfishHttp.Settings(3, Duration.ofMillis(100), Duration.ofSeconds(10)), HttpClient.newHttpClient(), timer);
            RedfishBmc bmc = new RedfishBmc(http, new RedfishBmc.Settings(Duration.ofMinutes(1), Duration.ofMinutes(1), null), timer);
            List<Long> lat = new ArrayList<>();
            bmc.powerState().get(20, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline && lat.size() < 1_000_000) {
                long t0 = System.nanoTime();
                bmc.powerState().get(20, TimeUnit.SECONDS);
                lat.add(System.nanoTime() - t0);
            }
            bmc.close();
            timer.shutdownNow();
            double ours = lat.size() / (double) seconds;
            System.out.printf("Redfish, one service: sushy %.1f reads/s; bmc-service %.1f reads/s (p50 %.2f ms, p99 %.2f ms)%n", ref, ours,
                    pct(lat, 50), pct(lat, 99));
            table.add(String.format("| Redfish power state, one service, reads/s | %.1f (p50 %.2f ms, p99 %.2f ms) | sushy %.1f | %.1fx |",
                    ours, pct(lat, 50), pct(lat, 99), ref, ours / ref));
        }
    }

    static IpmiSession session(InetSocketAddress at, UdpTransport udp, ScheduledExecutorService timer) {
        return new IpmiSession(at, new IpmiCredentials(IpmiSimBmc.USER, IpmiSimBmc.PASSWORD.getBytes(), null),
                new IpmiSession.Settings(List.of(CipherSuite.SUITE_17, CipherSuite.SUITE_3), Commands.PRIVILEGE_ADMINISTRATOR,
                        Duration.ofSeconds(1), 4, Duration.ofSeconds(20), Duration.ofMinutes(2)), udp, timer, new IpmiSession.Listener() { });
    }

    static UdpTransport transport() throws Exception {
        return new UdpTransport(new InetSocketAddress("127.0.0.1", 0));
    }

    static double pct(List<Long> nanos, int p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1)) / 1e6;
    }
}
