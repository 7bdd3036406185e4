package io.pxewings.image;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.image.ImageChanged;
import io.pxewings.image.signing.Minisign;
import io.pxewings.image.signing.TrustedKeys;
import io.pxewings.image.uploads.Uploads;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * The catalog and the blob store on the real broker and database, with Debian's tools as the
 * peers: {@code zstd} compresses the image, {@code minisign} signs it (a key trusted here, and one
 * that is not), and {@code sha256sum} says what the raw digest must be.
 */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "image"))
class ImageServiceTest {

    static final Path WORK = Path.of("target/wings-test/image-service");
    static Path raw;
    static Path zst;
    static Path trustedPub;
    static Path trustedSec;
    static Path otherSec;

    @Inject
    TrustedKeys trusted;

    @BeforeAll
    static void files() throws Exception {
        Files.createDirectories(WORK);
        raw = WORK.resolve("disk.raw");
        byte[] data = new byte[3 << 20];
        new Random(4).nextBytes(data);
        Arrays.fill(data, 1 << 20, 2 << 20, (byte) 0);   // a run of zeros, as disk images have
        Files.write(raw, data);
        zst = WORK.resolve("disk.raw.zst");
        Files.deleteIfExists(zst);
        run("zstd", "-q", "-3", raw.toString(), "-o", zst.toString());
        trustedPub = WORK.resolve("trusted.pub");
        trustedSec = WORK.resolve("trusted.key");
        otherSec = WORK.resolve("other.key");
        for (Path p : List.of(trustedPub, trustedSec, otherSec, WORK.resolve("other.pub"))) {
            Files.deleteIfExists(p);
        }
        run("minisign", "-G", "-W", "-p", trustedPub.toString(), "-s", trustedSec.toString());
        run("minisign", "-G", "-W", "-p", WORK.resolve("other.pub").toString(), "-s", otherSec.toString());
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    static String sign(Path file, Path key) throws Exception {
        Path sig = Path.of(file + ".minisig");
        Files.deleteIfExists(sig);
        run("minisign", "-S", "-s", key.toString(), "-m", file.toString(), "-t", "pxe-wings test image");
        return Files.readString(sig);
    }

    void trust() throws Exception {
        Minisign.PublicKeyInfo k = Minisign.publicKey(Files.readString(trustedPub));
        trusted.use(Map.of(k.keyId(), k));
    }

    /** Uploads a file in chunks of {@code chunk} bytes, as a client that resumes would. */
    static String upload(Path file, int chunk) throws Exception {
        String location = given().post("/api/v1/blobs/uploads").then().statusCode(202).extract().header("Location");
        byte[] all = Files.readAllBytes(file);
        int at = 0;
        while (at < all.length) {
            int n = Math.min(chunk, all.length - at);
            Response r = given().header("Content-Range", at + "-" + (at + n - 1)).contentType("application/octet-stream")
                    .body(Arrays.copyOfRange(all, at, at + n)).patch(location);
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
            assertThat(r.header("Range")).isEqualTo("0-" + (at + n - 1));
            at += n;
        }
        String digest = Uploads.hash(file).toString();
        given().put(location + "?digest=" + digest).then().statusCode(201).header("Location", "/api/v1/blobs/" + digest);
        return digest;
    }

    Response publish(String name, String version, String blob, String signature) {
        return publish(name, version, "raw.zst", blob, signature);
    }

    Response publish(String name, String version, String format, String blob, String signature) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("name", name, "version", version, "os", "debian", "arch", "x86_64",
                "firmware", "both", "format", format, "blob", blob, "labels", Map.of("channel", "test"),
                "bootHints", Map.of("root", "/dev/vda3", "cmdline", "console=ttyS0")));
        if (signature != null) {
            body.put("signature", signature);
        }
        return given().contentType("application/json").body(body).post("/api/v1/images?by=test");
    }

    @Test
    void aSignedZstdImageIsUploadedInChunksPublishedVerifiedAndDownloadable() throws Exception {
        trust();
        String blob = upload(zst, 300_000);
        String rawHex = run("sha256sum", raw.toString()).split(" ")[0];
        try (EventProbe facts = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.IMAGE_FACTS.name())) {
            Response r = publish("test-os", "1.0", blob, sign(zst, trustedSec));
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
            assertThat(r.jsonPath().getString("signature")).isEqualTo("verified");
            assertThat(r.jsonPath().getBoolean("deployable")).isTrue();
            assertThat(r.jsonPath().getString("rawSha256")).as("what sha256sum says of the raw image").isEqualTo(rawHex);
            assertThat(r.jsonPath().getLong("rawSize")).isEqualTo(Files.size(raw));
            assertThat(r.jsonPath().getString("sha256")).isEqualTo(blob.substring(7));
            ImageChanged published = (ImageChanged) facts.await(e -> e.type() == EventTypes.IMAGE_PUBLISHED
                    && e.subject().equals("test-os"), Duration.ofSeconds(20)).data();
            assertThat(published.image().version()).isEqualTo("1.0");
            assertThat(published.by()).isEqualTo("test");
        }
        // Downloads: whole, a range, not modified.
        byte[] got = given().get("/api/v1/blobs/" + blob).then().statusCode(200).header("ETag", "\"" + blob + "\"").extract().asByteArray();
        assertThat(got).isEqualTo(Files.readAllBytes(zst));
        Response part = given().header("Range", "bytes=10-19").get("/api/v1/blobs/" + blob);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(Files.readAllBytes(zst), 10, 20));
        given().header("If-None-Match", "\"" + blob + "\"").get("/api/v1/blobs/" + blob).then().statusCode(304);
        given().head("/api/v1/blobs/" + blob).then().statusCode(200).header("Content-Length", Long.toString(Files.size(zst)));
        assertThat(given().get("/api/v1/images/test-os/1.0/signature").asString()).contains("trusted comment: pxe-wings test image");
        assertThat(given().get("/api/v1/images?label=channel=test&name=test-os").jsonPath().getList("images.version")).contains("1.0");
    }

    /** qemu-img (Debian's qemu-utils) makes the qcow2 files: the format's reference implementation as the peer. */
    @Test
    void aQcow2UploadIsConvertedOnceToRawZstAndBothDigestsAreRecorded() throws Exception {
        trust();
        Path qcow2 = WORK.resolve("disk.qcow2");
        Path overlay = WORK.resolve("overlay.qcow2");
        Files.deleteIfExists(qcow2);
        Files.deleteIfExists(overlay);
        run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString());
        String blob = upload(qcow2, 1 << 20);
        String rawHex = run("sha256sum", raw.toString()).split(" ")[0];
        Response r = publish("imported-os", "1.0", "qcow2", blob, sign(qcow2, trustedSec));
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getString("format")).isEqualTo("raw.zst");
        assertThat(r.jsonPath().getString("sourceFormat")).isEqualTo("qcow2");
        assertThat(r.jsonPath().getString("sourceSha256")).as("the uploaded qcow2's digest").isEqualTo(blob.substring(7));
        assertThat(r.jsonPath().getString("rawSha256")).as("what sha256sum says of the raw image").isEqualTo(rawHex);
        assertThat(r.jsonPath().getLong("rawSize")).isEqualTo(Files.size(raw));
        assertThat(r.jsonPath().getString("signature")).as("the signature is over what was uploaded").isEqualTo("verified");
        // What machines download is the converted raw.zst, under its own digest.
        String stored = "sha256:" + r.jsonPath().getString("sha256");
        assertThat(stored).isNotEqualTo(blob);
        Path got = WORK.resolve("imported.raw.zst");
        Files.write(got, given().get("/api/v1/blobs/" + stored).then().statusCode(200).extract().asByteArray());
        assertThat(Uploads.hash(got).toString()).isEqualTo(stored);
        assertThat(run("sh", "-c", "zstd -dc " + got + " | sha256sum").split(" ")[0]).isEqualTo(rawHex);

        // A backing file would make qemu-img read a path the uploader chose: refused, nothing published.
        run("qemu-img", "create", "-f", "qcow2", "-b", qcow2.toAbsolutePath().toString(), "-F", "qcow2", overlay.toString());
        Response backed = publish("imported-os", "2.0", "qcow2", upload(overlay, 1 << 20), null);
        assertThat(backed.statusCode()).as(backed.asString()).isEqualTo(400);
        assertThat(backed.jsonPath().getString("detail")).contains("has a backing file");
        Response notQcow2 = publish("imported-os", "2.0", "qcow2", upload(zst, 1 << 20), null);
        assertThat(notQcow2.statusCode()).isEqualTo(400);
        assertThat(notQcow2.jsonPath().getString("detail")).startsWith("blob: not a qcow2 image");
        given().get("/api/v1/images/imported-os/2.0").then().statusCode(404);
    }

    @Test
    void unsignedOrWronglySignedImagesAreStoredButNeverDeployable() throws Exception {
        trust();
        String blob = upload(zst, 1 << 20);
        Response unsigned = publish("unsigned-os", "1", blob, null);
        assertThat(unsigned.jsonPath().getString("signature")).isEqualTo("unsigned");
        assertThat(unsigned.jsonPath().getBoolean("deployable")).isFalse();
        Response untrusted = publish("untrusted-os", "1", blob, sign(zst, otherSec));
        assertThat(untrusted.jsonPath().getString("signature")).isEqualTo("unverified");
        assertThat(untrusted.jsonPath().getBoolean("deployable")).isFalse();
        // One byte changed: the trusted key's signature of the original does not hold.
        Path changed = WORK.resolve("changed.raw.zst");
        byte[] bytes = Files.readAllBytes(zst);
        String signature = sign(zst, trustedSec);
        bytes[bytes.length - 8] ^= 1;
        Files.write(changed, bytes);
        String changedBlob = upload(changed, 1 << 20);
        Response tampered = publish("tampered-os", "1", changedBlob, signature);
        assertThat(tampered.statusCode()).as("a corrupted zstd frame").isIn(201, 400);
        if (tampered.statusCode() == 201) {
            assertThat(tampered.jsonPath().getString("signature")).isEqualTo("unverified");
            assertThat(tampered.jsonPath().getBoolean("deployable")).isFalse();
        }
    }

    @Test
    void uploadsRefuseGapsOverlapsAndAWrongDigestAndKeepNothing() throws Exception {
        String location = given().post("/api/v1/blobs/uploads").then().statusCode(202).extract().header("Location");
        given().header("Content-Range", "0-3").body(new byte[] {1, 2, 3, 4}).patch(location).then().statusCode(202);
        given().header("Content-Range", "10-13").body(new byte[] {1, 2, 3, 4}).patch(location).then().statusCode(416)
                .header("Range", "0-3").contentType("application/problem+json");
        given().header("Content-Range", "2-5").body(new byte[] {1, 2, 3, 4}).patch(location).then().statusCode(416);
        given().get(location).then().statusCode(204).header("Range", "0-3");
        String wrong = "sha256:" + "0".repeat(64);
        given().put(location + "?digest=" + wrong).then().statusCode(400).contentType("application/problem+json");
        given().get(location).then().statusCode(404);
        given().get("/api/v1/blobs/" + wrong).then().statusCode(404);
        given().put(location + "?digest=nonsense").then().statusCode(400).contentType("application/problem+json");
    }

    /**
     * curl sends "Expect: 100-continue" with bodies over 1 MiB and waits a second for the answer
     * (RFC 9110 section 10.1.1): each chunk of a push lost a second until the service answered it. A raw
     * socket, because a client library hides whether the 100 came before the body was sent.
     */
    @Test
    void aChunkThatExpectsContinueIsAskedForOnlyOnceItsRangeIsChecked() throws Exception {
        String location = given().post("/api/v1/blobs/uploads").then().statusCode(202).extract().header("Location");
        int port = io.restassured.RestAssured.port;
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            var out = s.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Range: 0-3\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(in.readLine()).isEmpty();
            out.write(new byte[] {1, 2, 3, 4});
            out.flush();
            assertThat(in.readLine()).startsWith("HTTP/1.1 202");
        }
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Range: 9-12\r\nContent-Length: 4\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(in.readLine()).as("a gap is refused before its body is sent").startsWith("HTTP/1.1 416");
        }
        given().get(location).then().statusCode(204).header("Range", "0-3");
    }

    @Test
    void badImagesAndStateRulesAreClearErrorsThatChangeNothing() throws Exception {
        trust();
        String blob = upload(zst, 1 << 20);
        publish("../etc", "1", blob, null).then().statusCode(400).contentType("application/problem+json");
        publish("a/b", "1", blob, null).then().statusCode(400);
        publish("ok", "1/2", blob, null).then().statusCode(400);
        publish("ok", "1", "sha256:" + "1".repeat(64), null).then().statusCode(400);
        given().contentType("application/json").body(Map.of("name", "ok", "version", "1", "os", "debian", "arch", "x86_64",
                "firmware", "both", "format", "raw", "blob", blob, "rawSize", 5)).post("/api/v1/images")
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.startsWith("rawSize:"));
        given().contentType("application/json").body(Map.of("name", "ok", "version", "1", "os", "debian", "arch", "x86_64",
                "firmware", "both", "format", "raw.xz", "blob", blob)).post("/api/v1/images")
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.startsWith("format:"));
        assertThat(publish("states", "1", blob, sign(zst, trustedSec)).statusCode()).isEqualTo(201);
        publish("states", "1", blob, null).then().statusCode(409);
        given().contentType("application/json").body(Map.of("reason", "superseded by 2")).post("/api/v1/images/states/1/deprecate")
                .then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("deprecated")).body("deployable", org.hamcrest.Matchers.equalTo(true));
        given().contentType("application/json").body(Map.of("reason", "CVE-2026-0001")).post("/api/v1/images/states/1/yank")
                .then().statusCode(200).body("deployable", org.hamcrest.Matchers.equalTo(false));
        given().contentType("application/json").body(Map.of()).post("/api/v1/images/states/1/deprecate").then().statusCode(409);
        given().get("/api/v1/images/nothing/1").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aBitFlippedInAStoredBlobIsFoundAndNeverPublished() throws Exception {
        Path other = WORK.resolve("flip.raw");
        byte[] data = new byte[100_000];
        new Random(9).nextBytes(data);
        Files.write(other, data);
        String blob = upload(other, 1 << 20);
        Path stored = Path.of("target/wings-test/blobs/sha256").resolve(blob.substring(7, 9)).resolve(blob.substring(7));
        try (RandomAccessFile f = new RandomAccessFile(stored.toFile(), "rw")) {
            f.seek(5000);
            int b = f.read();
            f.seek(5000);
            f.write(b ^ 0x10);
        }
        given().contentType("application/json").body(Map.of("name", "flipped", "version", "1", "os", "debian", "arch", "x86_64",
                "firmware", "bios", "format", "raw", "blob", blob)).post("/api/v1/images")
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("corrupt"));
        given().get("/api/v1/images/flipped/1").then().statusCode(404);
        assertThat(HexFormat.of().formatHex(new byte[0])).isEmpty();
    }
}
