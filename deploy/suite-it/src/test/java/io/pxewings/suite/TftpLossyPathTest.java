package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.testsupport.PrometheusText;

/**
 * tftp-service, packaged, in a network namespace whose path to the clients drops 5 % of the UDP
 * datagrams arriving on either side (nftables' random numgen; this kernel has no netem). Every real
 * client from Debian still gets every file byte-identical, and the server's retransmission
 * counter shows it had to work for it.
 */
class TftpLossyPathTest {

    static final Path WORK = Path.of("target/tftp-lossy").toAbsolutePath();
    /**
     * On the input hook, so each side loses what arrives, silently, as on a real wire. (Dropped on
     * output, the sender's sendto() fails with EPERM, which tftp-hpa takes for a fatal error.)
     */
    static final String LOSS = "table inet lossy { chain in { type filter hook input priority 0; policy accept; "
            + "meta l4proto udp numgen random mod 100 < 5 drop; }; }";
    static TestNetwork net;
    static Process server;
    static String sha;

    @BeforeAll
    static void start() throws Exception {
        Repo.deleteTree(WORK);
        Files.createDirectories(WORK.resolve("root"));
        byte[] file = new byte[128 * 1024];
        new Random(7).nextBytes(file);
        Files.write(WORK.resolve("root/kernel.bin"), file);
        sha = sha256(WORK.resolve("root/kernel.bin"));
        net = new TestNetwork("wtftp", "10.89.0.1/24");
        TestNetwork.sh("ip -n " + net.client + " addr add 10.89.0.2/24 dev " + net.clientIf);
        for (String ns : List.of(net.server, net.client)) {
            TestNetwork.sh("ip netns exec " + ns + " nft '" + LOSS + "'");
        }
        List<String> java = new ArrayList<>(Repo.service("tftp-service"));
        java.addAll(java.indexOf("-jar"), List.of("-Dwings.site=it", "-Dwings.instance=ns-1", "-Dquarkus.http.port=18082",
                "-Dkafka.bootstrap.servers=127.0.0.1:1", "-Dwings.tftp.bind-address=10.89.0.1", "-Dwings.tftp.port=69",
                "-Dwings.tftp.root=" + WORK.resolve("root"), "-Dwings.tftp.timeout=PT0.2S", "-Dwings.tftp.max-retries=10"));
        server = new ProcessBuilder(net.serverCommand(java)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve("tftp-service.log").toFile())).start();
        Instant deadline = Instant.now().plusSeconds(90);
        while (net.inServer(Duration.ofSeconds(10), "curl -sf 127.0.0.1:18082/q/health/live").exitCode() != 0) {
            if (!server.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("tftp-service did not start:\n" + Files.readString(WORK.resolve("tftp-service.log")));
            }
            Thread.sleep(300);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        TestNetwork.close(net, server);
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    void assertFetched(String client, String command, Path out) throws Exception {
        Instant t0 = Instant.now();
        Repo.Result r = net.inClient(Duration.ofSeconds(240), command);
        System.out.printf("[tftp-lossy] %s: %d ms%n", client, Duration.between(t0, Instant.now()).toMillis());
        assertThat(r.exitCode()).as(client + ":\n" + r.output()).isZero();
        assertThat(sha256(out)).as(client + " got the file byte-identical (" + Files.size(out) + " bytes):\n" + r.output())
                .isEqualTo(sha);
    }

    @Test
    void everyRealClientGetsEveryByteThroughALossyPath() throws Exception {
        Path hpa = WORK.resolve("hpa.bin");
        assertFetched("tftp-hpa", "printf 'verbose\\nbinary\\nrexmt 1\\nget kernel.bin " + hpa + "\\n' | tftp 10.89.0.1", hpa);
        Path atftp = WORK.resolve("atftp.bin");
        // atftp 0.8 aborts ("unexpected OACK") when its ACK of the OACK is lost and the server sends
        // the OACK again, as RFC 2347 servers do (tftpd-hpa too). That is the client's limit, so a
        // fetch it aborted this way is started again, at most 4 times (5 % loss: 1 in 8000 fails all).
        String fetch = "atftp --tftp-timeout 1 --option 'blksize 1468' --option 'windowsize 16' --option 'tsize 0' -g -r kernel.bin -l "
                + atftp + " 10.89.0.1";
        assertFetched("atftp", "for i in 1 2 3 4; do out=$(" + fetch + " 2>&1); rc=$?; echo \"$out\"; "
                + "case \"$out\" in *'unexpected OACK'*) continue;; esac; exit $rc; done; exit 1", atftp);
        Path curl = WORK.resolve("curl.bin");
        // curl asks for the RFC 2349 timeout option, 6 s unless --connect-timeout lowers it (to 1 s
        // here), and the server honours it: each loss would otherwise cost the transfer 6 s.
        assertFetched("curl", "curl -sS --connect-timeout 5 --tftp-blksize 1468 -o " + curl + " tftp://10.89.0.1/kernel.bin", curl);

        Repo.Result metrics = net.inServer(Duration.ofSeconds(10), "curl -sf 127.0.0.1:18082/q/metrics");
        double resent = PrometheusText.sum(metrics.output(), "wings_tftp_retransmitted_blocks_total");
        assertThat(resent).as("the loss was real: the server resent blocks").isGreaterThan(0);
    }
}
