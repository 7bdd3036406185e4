package io.pxewings.httpboot.files;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.httpboot.FileServed;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Boot files over real HTTP: the Quarkus test client for headers and statuses, curl as a real peer. */
@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
class FilesTest {

    static final Path ROOT = Path.of("target/wings-test/files").toAbsolutePath();
    static final int SIZE = 1_048_576 + 17;
    static byte[] kernel;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @BeforeAll
    static void files() throws Exception {
        kernel = new byte[SIZE];
        new Random(9).nextBytes(kernel);
        Files.createDirectories(ROOT.resolve("ramos"));
        Files.write(ROOT.resolve("ramos/vmlinuz"), kernel);
        Files.writeString(ROOT.getParent().resolve("outside.txt"), "not for machines");
        Path link = ROOT.resolve("escape.txt");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, ROOT.getParent().resolve("outside.txt"));
    }

    @Test
    void wholeFileWithValidators() {
        Response r = given().get("/files/ramos/vmlinuz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.asByteArray()).isEqualTo(kernel);
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(SIZE));
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.header("ETag")).matches("\"[0-9a-f]+-[0-9a-f]+\"");
        assertThat(r.header("Last-Modified")).endsWith(" GMT");
        assertThat(r.contentType()).isEqualTo("application/octet-stream");

        Response head = given().head("/files/ramos/vmlinuz");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(SIZE));
        assertThat(head.asByteArray()).isEmpty();
    }

    @Test
    void singleRangesFirstMiddleSuffixAndPastTheEnd() {
        record Case(String range, int first, int last) {
        }
        for (Case c : List.of(new Case("bytes=0-99", 0, 99), new Case("bytes=500000-599999", 500_000, 599_999),
                new Case("bytes=-1000", SIZE - 1000, SIZE - 1), new Case("bytes=1048500-", 1_048_500, SIZE - 1),
                new Case("bytes=1048000-9999999", 1_048_000, SIZE - 1))) {
            Response r = given().header("Range", c.range()).get("/files/ramos/vmlinuz");
            assertThat(r.statusCode()).as(c.range()).isEqualTo(206);
            assertThat(r.header("Content-Range")).isEqualTo("bytes " + c.first() + "-" + c.last() + "/" + SIZE);
            assertThat(r.asByteArray()).isEqualTo(Arrays.copyOfRange(kernel, c.first(), c.last() + 1));
        }
        Response past = given().header("Range", "bytes=" + SIZE + "-").get("/files/ramos/vmlinuz");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.header("Content-Range")).isEqualTo("bytes */" + SIZE);

        StringBuilder many = new StringBuilder("bytes=0-0");
        for (int i = 1; i < 1000; i++) {
            many.append(',').append(i).append('-').append(i);
        }
        Response tooMany = given().header("Range", many.toString()).get("/files/ramos/vmlinuz");
        assertThat(tooMany.statusCode()).isEqualTo(416);
        assertThat(tooMany.contentType()).startsWith("application/problem+json");
        assertThat(tooMany.jsonPath().getString("detail")).startsWith("1000 ranges");

        Response twoRanges = given().header("Range", "bytes=0-1,5-6").get("/files/ramos/vmlinuz");
        assertThat(twoRanges.statusCode()).as("several ranges: the whole file").isEqualTo(200);
        assertThat(twoRanges.asByteArray()).hasSize(SIZE);
    }

    @Test
    void conditionalRequests() {
        Response first = given().get("/files/ramos/vmlinuz");
        String etag = first.header("ETag");
        String modified = first.header("Last-Modified");
        assertThat(given().header("If-None-Match", etag).get("/files/ramos/vmlinuz").statusCode()).isEqualTo(304);
        assertThat(given().header("If-None-Match", "\"other\"").get("/files/ramos/vmlinuz").statusCode()).isEqualTo(200);
        assertThat(given().header("If-Modified-Since", modified).get("/files/ramos/vmlinuz").statusCode()).isEqualTo(304);
        Response stale = given().header("Range", "bytes=0-9").header("If-Range", "\"stale\"").get("/files/ramos/vmlinuz");
        assertThat(stale.statusCode()).as("If-Range of another version: the whole file").isEqualTo(200);
        Response fresh = given().header("Range", "bytes=0-9").header("If-Range", etag).get("/files/ramos/vmlinuz");
        assertThat(fresh.statusCode()).isEqualTo(206);
    }

    static List<String> curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return List.of(new String(p.getInputStream().readAllBytes()).trim(), Integer.toString(p.exitValue()));
    }

    @Test
    void nothingOutsideTheRootIsServed() throws Exception {
        String base = "http://127.0.0.1:" + port + "/files/";
        for (String escape : new String[] {"../outside.txt", "ramos/../../outside.txt", "%2e%2e/outside.txt",
                "..%2foutside.txt", "..%5coutside.txt", "ramos//vmlinuz", "%00"}) {
            assertThat(curl(base + escape).get(0)).as(escape).isEqualTo("400");
        }
        assertThat(curl(base + "escape.txt").get(0)).as("a symlink out of the root").isEqualTo("404");
        assertThat(curl(base + "no-such-kernel").get(0)).isEqualTo("404");
        assertThat(curl(base + "ramos").get(0)).as("a directory").isEqualTo("404");
    }

    @Test
    void curlResumesAnInterruptedDownloadByteIdentical() throws Exception {
        Path out = Files.createTempFile("vmlinuz", ".part");
        Files.write(out, Arrays.copyOf(kernel, 300_000));   // what a first, interrupted download left
        Process p = new ProcessBuilder("curl", "-sS", "-C", "-", "-o", out.toString(), "http://127.0.0.1:" + port + "/files/ramos/vmlinuz")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(sha256(Files.readAllBytes(out))).isEqualTo(sha256(kernel));
    }

    @Test
    void oversizedHeadersAreRefused() throws Exception {
        String huge = "X-Filler: " + "a".repeat(16 * 1024);
        List<String> r = curl("-H", huge, "http://127.0.0.1:" + port + "/files/ramos/vmlinuz");
        assertThat(r.get(0)).isIn("431", "400");
    }

    @Test
    void aSilentConnectionIsClosedAtTheIdleTimeout() throws Exception {
        // %test sets quarkus.http.idle-timeout to 2 s (60 s in production).
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.getOutputStream().write("GET /files/ramos/vmlinuz HTTP/1.1\r\nHost: x\r\n".getBytes());   // headers never end
            s.setSoTimeout(15_000);
            long t0 = System.nanoTime();
            assertThat(s.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(1500));
        }
    }

    @Test
    void requestLatencyIsAHistogramPerRoute() {
        given().get("/files/ramos/vmlinuz").then().statusCode(200);
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).contains("http_server_requests_seconds_bucket{").contains("uri=\"/files/{path}\"");
        assertThat(metrics).as("one series per route, not per file").doesNotContain("uri=\"/files/ramos/vmlinuz\"");
    }

    @Test
    void servedFilesAreFactsWithTheMacFromTheUrl() {
        String mac = "52:54:00:00:00:41";
        try (EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.HTTP_BOOT_FACTS.name())) {
            assertThat(given().queryParam("mac", mac).header("Range", "bytes=100-199").get("/files/ramos/vmlinuz").statusCode())
                    .isEqualTo(206);
            WingsEvent<?> e = probe.await(x -> x.type() == EventTypes.BOOT_FILE_SERVED && mac.equals(x.key()), Duration.ofSeconds(30));
            FileServed f = (FileServed) e.data();
            assertThat(f.path()).isEqualTo("ramos/vmlinuz");
            assertThat(f.status()).isEqualTo(206);
            assertThat(f.bytes()).isEqualTo(100);
            assertThat(f.rangeStart()).isEqualTo(100);
            assertThat(f.rangeEnd()).isEqualTo(199);
            assertThat(f.size()).isEqualTo(SIZE);
            assertThat(f.complete()).isTrue();
            assertThat(f.client()).isEqualTo("127.0.0.1");
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
