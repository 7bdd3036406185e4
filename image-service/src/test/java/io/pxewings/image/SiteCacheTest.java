package io.pxewings.image;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.image.CacheBlob;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * image-service as a site cache, against a {@link FakeUpstream} (it says why not a real one).
 */
@QuarkusTest
@TestProfile(SiteCacheTest.Cache.class)
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "image"))
class SiteCacheTest {

    static final int UPSTREAM_PORT = FakeUpstream.freePort();
    static final int MIB = 1 << 20;

    public static class Cache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wings.image.cache.upstream", "http://127.0.0.1:" + UPSTREAM_PORT,
                    "wings.image.cache.budget-bytes", Long.toString(5L * MIB),
                    "wings.image.blob-store", "target/wings-test/site-cache-" + ProcessHandle.current().pid());
        }
    }

    static FakeUpstream upstream;

    @BeforeAll
    static void upstream() throws Exception {
        // Slow enough that every asker below arrives while the one fetch is under way.
        upstream = new FakeUpstream(UPSTREAM_PORT, 700);
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    static String add(int seed, int bytes) throws Exception {
        return upstream.add(seed, bytes);
    }

    static int asked(String digest) {
        return upstream.asked(digest);
    }

    static double metric(String name) {
        String text = given().get("/q/metrics").asString();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void manyMachinesAskingAtOnceCostTheUpstreamOneFetch() throws Exception {
        String a = add(1, 2 * MIB);
        double missesBefore = metric("wings_image_cache_misses_total");
        try (EventProbe facts = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.IMAGE_FACTS.name())) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<byte[]>> got = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    got.add(pool.submit(() -> {
                        Response r = given().get("/api/v1/blobs/" + a);
                        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
                        return r.asByteArray();
                    }));
                }
                for (Future<byte[]> f : got) {
                    assertThat(Arrays.equals(f.get(60, TimeUnit.SECONDS), upstream.blobs.get(a))).as("the bytes the upstream holds").isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(asked(a)).as("fetches of one blob that 16 machines asked for at once").isEqualTo(1);
            assertThat(metric("wings_image_cache_misses_total") - missesBefore).isEqualTo(1.0);
            var fetched = facts.await(e -> e.type() == EventTypes.IMAGE_CACHE_BLOB_FETCHED && e.subject().equals(a),
                    Duration.ofSeconds(20));
            CacheBlob body = (CacheBlob) fetched.data();
            assertThat(body.bytes()).isEqualTo(2L * MIB);
            assertThat(body.upstream()).isEqualTo("127.0.0.1");
        }
        // Now it is here: a range, a hit, and no second fetch.
        double hits = metric("wings_image_cache_hits_total");
        Response part = given().header("Range", "bytes=100-199").get("/api/v1/blobs/" + a);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(upstream.blobs.get(a), 100, 200));
        assertThat(metric("wings_image_cache_hits_total") - hits).isEqualTo(1.0);
        assertThat(asked(a)).isEqualTo(1);
    }

    @Test
    void bytesThatAreNotTheDigestAreNeverKeptNorServed() throws Exception {
        String c = add(3, MIB);
        byte[] other = new byte[MIB];
        new Random(33).nextBytes(other);
        upstream.lies.put(c, other);
        double rejected = metric("wings_image_cache_rejected_total");
        Response r = given().get("/api/v1/blobs/" + c);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(502);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains("discarded");
        assertThat(metric("wings_image_cache_rejected_total") - rejected).isEqualTo(1.0);
        // The upstream mends: the next ask fetches again and gets the right bytes.
        upstream.lies.remove(c);
        Response again = given().get("/api/v1/blobs/" + c);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.asByteArray()).isEqualTo(upstream.blobs.get(c));
        assertThat(asked(c)).isEqualTo(2);

        String missing = "sha256:" + "0".repeat(64);
        given().get("/api/v1/blobs/" + missing).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theLeastRecentlyUsedBlobsLeaveToStayWithinTheBudget() throws Exception {
        // Budget 5 MiB: whatever the other tests left, three 2 MiB blobs cannot all stay.
        String x = add(10, 2 * MIB);
        String y = add(11, 2 * MIB);
        String z = add(12, 2 * MIB);
        try (EventProbe facts = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.IMAGE_FACTS.name())) {
            given().get("/api/v1/blobs/" + x).then().statusCode(200);
            Thread.sleep(20);
            given().get("/api/v1/blobs/" + y).then().statusCode(200);
            Thread.sleep(20);
            given().head("/api/v1/blobs/" + x).then().statusCode(200);   // x used again: y is now the older
            Thread.sleep(20);
            given().get("/api/v1/blobs/" + z).then().statusCode(200);
            facts.await(e -> e.type() == EventTypes.IMAGE_CACHE_BLOB_EVICTED && e.subject().equals(y), Duration.ofSeconds(20));
        }
        Map<String, Object> state = given().get("/api/v1/cache").then().statusCode(200).extract().jsonPath().getMap("");
        assertThat(((Number) state.get("storedBytes")).longValue()).isLessThanOrEqualTo(5L * MIB);
        given().head("/api/v1/blobs/" + x).then().statusCode(200);
        given().head("/api/v1/blobs/" + z).then().statusCode(200);
        assertThat(asked(x)).as("x stayed").isEqualTo(1);
        given().get("/api/v1/blobs/" + y).then().statusCode(200);
        assertThat(asked(y)).as("y left and was fetched again").isEqualTo(2);
    }

    @Test
    void prefetchWarmsTheSiteBeforeTheMachinesAsk() throws Exception {
        String p = add(20, MIB);
        Response r = given().contentType("application/json").body(Map.of("digests", List.of(p))).post("/api/v1/cache/prefetch");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        assertThat(r.jsonPath().getString("digests.'" + p + "'")).isEqualTo("fetching");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (given().head("/api/v1/blobs/" + p).statusCode() != 200 || asked(p) == 0) {
            assertThat(System.nanoTime()).as("prefetched within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        given().get("/api/v1/blobs/" + p).then().statusCode(200);
        assertThat(asked(p)).as("the machine's ask was served from the site").isEqualTo(1);
        Response again = given().contentType("application/json").body(Map.of("digests", List.of(p))).post("/api/v1/cache/prefetch");
        assertThat(again.jsonPath().getString("digests.'" + p + "'")).isEqualTo("present");

        Response bad = given().contentType("application/json").body(Map.of("digests", List.of("md5:abc"))).post("/api/v1/cache/prefetch");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.jsonPath().getString("detail")).contains("digests");
        given().contentType("application/json").body(Map.of("digests", List.of())).post("/api/v1/cache/prefetch").then().statusCode(400);
    }
}
