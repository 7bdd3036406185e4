package io.pxewings.tftp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.testsupport.WingsInfraResource;
import io.pxewings.tftp.codec.ErrorCode;
import io.pxewings.tftp.codec.TftpCodec;
import io.pxewings.tftp.codec.TftpPacket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The running service on loopback against the real TFTP clients from Debian (tftp-hpa's tftp,
 * atftp, curl), each fetching files byte-identical to the source; and a test socket playing a
 * client that misbehaves in ways the real ones do not (wrong TID, duplicate ACKs, silence).
 */
@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
class TftpRealClientsTest {

    static final Path ROOT = Path.of("target/wings-test/tftp-root").toAbsolutePath();
    static final Path OUT = Path.of("target/tftp-clients").toAbsolutePath();
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Inject
    TftpServer server;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void files() throws Exception {
        Files.createDirectories(ROOT.resolve("efi"));
        Files.createDirectories(OUT);
        Random r = new Random(42);
        byte[] small = new byte[100_000];
        r.nextBytes(small);
        Files.write(ROOT.resolve("efi/small.bin"), small);
        // 40 MiB at tftp-hpa's default 512-byte blocks: 81,920 blocks, so the block number rolls over.
        byte[] big = new byte[40 << 20];
        r.nextBytes(big);
        Files.write(ROOT.resolve("big.bin"), big);
        Files.write(ROOT.resolve("even.bin"), java.util.Arrays.copyOf(small, 1468 * 4));
        Files.writeString(ROOT.resolve("boot.txt"), "#!ipxe\nchain http://10.77.0.1/boot.ipxe\r\nend\n");
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    record Run(int exit, String output) {
    }

    static Run run(String... command) throws Exception {
        Path log = Files.createTempFile(OUT, "cmd", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(List.of(command) + " did not finish in 120 s: " + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    static Run sh(String script) throws Exception {
        return run("sh", "-c", script);
    }

    void assertFetched(String name, Path got, Run r) throws Exception {
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(sha256(got)).as(name + " byte-identical").isEqualTo(sha256(ROOT.resolve(name)));
    }

    double count(String name, String... tags) {
        var search = registry.find(name).tags(tags);
        return search.counter() == null ? 0 : search.counter().count();
    }

    @Test
    void curlFetchesWithBlksize() throws Exception {
        Path out = OUT.resolve("curl-small.bin");
        Run r = run("curl", "-sS", "--tftp-blksize", "1468", "-o", out.toString(),
                "tftp://127.0.0.1:" + server.port() + "/efi/small.bin");
        assertFetched("efi/small.bin", out, r);
        Path even = OUT.resolve("curl-even.bin");
        assertFetched("even.bin", even, run("curl", "-sS", "--tftp-blksize", "1468", "-o", even.toString(),
                "tftp://127.0.0.1:" + server.port() + "/even.bin"));
    }

    @Test
    void tftpHpaFetchesFortyMebibytesAcrossTheBlockNumberRollover() throws Exception {
        Path out = OUT.resolve("hpa-big.bin");
        Run r = sh("printf 'binary\\nget big.bin " + out + "\\n' | tftp 127.0.0.1 " + server.port());
        assertFetched("big.bin", out, r);
    }

    @Test
    void tftpHpaNetasciiComesBackAsTheSameText() throws Exception {
        Path out = OUT.resolve("hpa-boot.txt");
        Run r = sh("printf 'ascii\\nget boot.txt " + out + "\\n' | tftp 127.0.0.1 " + server.port());
        assertFetched("boot.txt", out, r);
    }

    @Test
    void atftpFetchesWithBlksizeWindowsizeAndTsize() throws Exception {
        Path out = OUT.resolve("atftp-small.bin");
        Run r = run("atftp", "--option", "blksize 1468", "--option", "windowsize 16", "--option", "tsize 0", "-g", "-r",
                "efi/small.bin", "-l", out.toString(), "127.0.0.1", Integer.toString(server.port()));
        assertFetched("efi/small.bin", out, r);
    }

    @Test
    void refusalsReachRealClientsAsTftpErrors() throws Exception {
        Run missing = sh("printf 'binary\\nget nothing-here " + OUT.resolve("x") + "\\n' | tftp -v 127.0.0.1 " + server.port());
        assertThat(missing.output()).contains("Error code 1");
        Run escape = run("curl", "-sS", "-o", OUT.resolve("passwd").toString(),
                "tftp://127.0.0.1:" + server.port() + "/../../etc/passwd");
        assertThat(escape.exit()).as(escape.output()).isNotZero();
        Run write = sh("cd " + OUT + " && echo hi > up.txt && printf 'put up.txt\\n' | tftp -v 127.0.0.1 " + server.port());
        assertThat(write.output()).contains("Error code 2");
        assertThat(Files.exists(ROOT.resolve("up.txt"))).isFalse();
    }

    /** A raw client: sends one request and returns the first reply and where it came from. */
    static DatagramPacket request(DatagramSocket s, int port, TftpPacket request) throws Exception {
        byte[] out = TftpCodec.encode(request);
        s.send(new DatagramPacket(out, out.length, LOOPBACK, port));
        DatagramPacket in = new DatagramPacket(new byte[70_000], 70_000);
        s.receive(in);
        return in;
    }

    static TftpPacket decode(DatagramPacket p) throws Exception {
        return TftpCodec.decode(p.getData(), 0, p.getLength());
    }

    static void ack(DatagramSocket s, int port, int block) throws Exception {
        byte[] out = TftpCodec.encode(new TftpPacket.Ack(block));
        s.send(new DatagramPacket(out, out.length, LOOPBACK, port));
    }

    static TftpPacket.Request rrq(String name, Map<String, String> options) {
        return new TftpPacket.Request(TftpPacket.RRQ, name, "octet", options);
    }

    @Test
    void aWrongTidGetsErrorFiveAndTheTransferGoesOn() throws Exception {
        try (DatagramSocket client = new DatagramSocket(0, LOOPBACK); DatagramSocket stranger = new DatagramSocket(0, LOOPBACK)) {
            client.setSoTimeout(5000);
            stranger.setSoTimeout(5000);
            DatagramPacket first = request(client, server.port(), rrq("efi/small.bin", Map.of()));
            int tid = first.getPort();
            assertThat(tid).as("each transfer answers from its own port").isNotEqualTo(server.port());
            assertThat(((TftpPacket.Data) decode(first)).block()).isEqualTo(1);
            ack(stranger, tid, 1);
            DatagramPacket err = new DatagramPacket(new byte[600], 600);
            stranger.receive(err);
            assertThat(decode(err)).isInstanceOfSatisfying(TftpPacket.Error.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TID));
            ack(client, tid, 1);
            DatagramPacket next = new DatagramPacket(new byte[600], 600);
            client.receive(next);
            assertThat(((TftpPacket.Data) decode(next)).block()).isEqualTo(2);
            byte[] stop = TftpCodec.encode(new TftpPacket.Error(ErrorCode.NOT_DEFINED, "test done"));
            client.send(new DatagramPacket(stop, stop.length, LOOPBACK, tid));
        }
    }

    @Test
    void aRepeatedRequestDoesNotStartASecondTransfer() throws Exception {
        double duplicates = count("wings_tftp_packets_dropped", "reason", "duplicate-request");
        try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
            client.setSoTimeout(5000);
            TftpPacket.Request rrq = rrq("efi/small.bin", Map.of("blksize", "1468"));
            DatagramPacket oack = request(client, server.port(), rrq);
            // The client did not see that OACK in time and asks again, from the same port.
            byte[] again = TftpCodec.encode(rrq);
            client.send(new DatagramPacket(again, again.length, LOOPBACK, server.port()));
            client.setSoTimeout(700);
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(new byte[1600], 1600);
                    client.receive(p);
                    assertThat(p.getPort()).as("only the first transfer answers (its OACK, resent)").isEqualTo(oack.getPort());
                }
            } catch (SocketTimeoutException quiet) {
                // no second transfer spoke
            }
            byte[] stop = TftpCodec.encode(new TftpPacket.Error(ErrorCode.NOT_DEFINED, "test done"));
            client.send(new DatagramPacket(stop, stop.length, LOOPBACK, oack.getPort()));
        }
        assertThat(count("wings_tftp_packets_dropped", "reason", "duplicate-request")).isEqualTo(duplicates + 1);
    }

    @Test
    void aDuplicateAckSendsNothingAndSilenceEndsInATimeout() throws Exception {
        double timeouts = count("wings_tftp_transfers", "outcome", "timeout");
        try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
            client.setSoTimeout(5000);
            DatagramPacket first = request(client, server.port(), rrq("efi/small.bin", Map.of()));
            int tid = first.getPort();
            ack(client, tid, 1);
            DatagramPacket two = new DatagramPacket(new byte[600], 600);
            client.receive(two);
            assertThat(((TftpPacket.Data) decode(two)).block()).isEqualTo(2);
            long duplicateSent = System.nanoTime();
            ack(client, tid, 1);   // duplicate: the Sorcerer's Apprentice would answer it with DATA 2 at once
            // Now stay silent: DATA 2 comes again only from the timer, with backoff (test profile:
            // 0.3 s, 3 retries), then an error. Timing, not a fixed quiet window, tells the two
            // apart, so a slow machine cannot fake a failure.
            client.setSoTimeout(10_000);
            int resent = 0;
            while (true) {
                DatagramPacket p = new DatagramPacket(new byte[600], 600);
                client.receive(p);
                TftpPacket t = decode(p);
                if (t instanceof TftpPacket.Error e) {
                    assertThat(e.message()).contains("timed out");
                    break;
                }
                assertThat(((TftpPacket.Data) t).block()).isEqualTo(2);
                if (resent == 0) {
                    // An answer to the duplicate would come within milliseconds; the timer's resend
                    // comes 0.3 s after DATA 2 left, so well over 100 ms after the duplicate.
                    assertThat((System.nanoTime() - duplicateSent) / 1_000_000).as("the first resend is the timer's, "
                            + "not an answer to the duplicate ACK (RFC 1123 §4.2.3.1)").isGreaterThanOrEqualTo(100);
                }
                resent++;
            }
            assertThat(resent).isEqualTo(3);
        }
        // The error leaves before the event loop counts the transfer: wait for the count.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(
                () -> assertThat(count("wings_tftp_transfers", "outcome", "timeout")).isEqualTo(timeouts + 1));
    }

    @Test
    void badOptionsAndGarbageGetAnErrorOrADropAndAreCounted() throws Exception {
        try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
            client.setSoTimeout(5000);
            for (String[] bad : new String[][] {{"blksize", "0"}, {"blksize", "7"}, {"blksize", "70000"}, {"windowsize", "0"},
                    {"timeout", "-1"}, {"timeout", "99999999999"}}) {
                TftpPacket reply = decode(request(client, server.port(), rrq("efi/small.bin", Map.of(bad[0], bad[1]))));
                assertThat(reply).as(bad[0] + "=" + bad[1]).isInstanceOfSatisfying(TftpPacket.Error.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.OPTION_REFUSED));
            }
            TftpPacket mode = decode(request(client, server.port(), new TftpPacket.Request(TftpPacket.RRQ, "efi/small.bin", "mail", Map.of())));
            assertThat(mode).isInstanceOfSatisfying(TftpPacket.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_OPERATION));

            double dropped = count("wings_tftp_packets_dropped", "reason", "missing_nul");
            byte[] noNul = {0, 1, 'a', 'b'};
            client.send(new DatagramPacket(noNul, noNul.length, LOOPBACK, server.port()));
            byte[] opcode = {0, 42, 0, 0};
            client.send(new DatagramPacket(opcode, opcode.length, LOOPBACK, server.port()));
            // Still serving, and the drops were counted.
            DatagramPacket ok = request(client, server.port(), rrq("efi/small.bin", Map.of("blksize", "1468")));
            assertThat(decode(ok)).isInstanceOf(TftpPacket.OptionAck.class);
            byte[] stop = TftpCodec.encode(new TftpPacket.Error(ErrorCode.NOT_DEFINED, "test done"));
            client.send(new DatagramPacket(stop, stop.length, LOOPBACK, ok.getPort()));
            assertThat(count("wings_tftp_packets_dropped", "reason", "missing_nul")).isEqualTo(dropped + 1);
            assertThat(count("wings_tftp_packets_dropped", "reason", "unknown_opcode")).isGreaterThanOrEqualTo(1);
        }
    }
}
