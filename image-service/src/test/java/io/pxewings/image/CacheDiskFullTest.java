package io.pxewings.image;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
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
 * A site cache whose disk fills (issue 18): its budget (64 MiB) is larger than its disk (an 8 MiB
 * tmpfs, {@link SmallDisk}), as when a disk is shared or a budget was set wrong. What it cannot hold
 * is refused with 507 and counted; what it holds stays whole and served; nothing half-written is
 * ever visible.
 */
@QuarkusTest
@TestProfile(CacheDiskFullTest.Profile.class)
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "image"))
class CacheDiskFullTest {

    static final int UPSTREAM_PORT = FakeUpstream.freePort();
    static final int MIB = 1 << 20;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wings.image.cache.upstream", "http://127.0.0.1:" + UPSTREAM_PORT,
                    "wings.image.cache.budget-bytes", Long.toString(64L * MIB));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmallDisk.class));
        }
    }

    static FakeUpstream upstream;

    @BeforeAll
    static void upstream() throws Exception {
        upstream = new FakeUpstream(UPSTREAM_PORT, 0);
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    static Path blob(String digest) {
        String hex = digest.substring("sha256:".length());
        return SmallDisk.ROOT.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
    }

    static double metric(String name) {
        return given().get("/q/metrics").asString().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static void servedWhole(String digest) {
        Response r = given().get("/api/v1/blobs/" + digest);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.asByteArray()).as(digest + " byte for byte").isEqualTo(upstream.blobs.get(digest));
    }

    static List<Path> uploadsLeft() throws Exception {
        try (Stream<Path> files = Files.list(SmallDisk.ROOT.resolve("uploads"))) {
            return files.toList();
        }
    }

    @Test
    void aFullDiskRefusesWhatItCannotHoldAndKeepsWhatItHoldsWhole() throws Exception {
        String a = upstream.add(1, 3 * MIB);
        String b = upstream.add(2, 3 * MIB);
        servedWhole(a);
        Thread.sleep(20);
        servedWhole(b);

        // c does not fit beside a and b on 8 MiB, though the budget has room: the least recently
        // used blob (a) leaves to make room, and c is fetched.
        String c = upstream.add(3, 3 * MIB);
        try (EventProbe facts = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.IMAGE_FACTS.name())) {
            servedWhole(c);
            facts.await(e -> e.type() == EventTypes.IMAGE_CACHE_BLOB_EVICTED && e.subject().equals(a), Duration.ofSeconds(20));
        }
        assertThat(blob(a)).doesNotExist();
        assertThat(blob(b)).exists();
        assertThat(blob(c)).exists();

        // Larger than the disk even empty: refused at once, and nothing evicted for it.
        double full = metric("wings_image_store_disk_full_total");
        String big = upstream.add(4, 10 * MIB);
        Response r = given().get("/api/v1/blobs/" + big);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(507);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains("cannot hold " + big).contains("nothing was evicted");
        assertThat(metric("wings_image_store_disk_full_total") - full).isEqualTo(1.0);
        assertThat(blob(b)).exists();
        assertThat(blob(c)).exists();
        assertThat(blob(big)).doesNotExist();

        // With no length announced, the write itself runs into the kernel's ENOSPC part way.
        String unsized = upstream.add(5, 6 * MIB);
        upstream.chunked.add(unsized);
        Response cut = given().get("/api/v1/blobs/" + unsized);
        assertThat(cut.statusCode()).as(cut.asString()).isEqualTo(507);
        assertThat(cut.contentType()).startsWith("application/problem+json");
        assertThat(cut.jsonPath().getString("detail")).contains("disk is full").contains("nothing kept");
        assertThat(metric("wings_image_store_disk_full_total") - full).isEqualTo(2.0);
        assertThat(blob(unsized)).as("never half visible").doesNotExist();
        assertThat(uploadsLeft()).as("the partial file is gone").isEmpty();

        // An upload (the catalog's path, on the same store) is refused the same way and stands at
        // its last whole chunk.
        String location = given().post("/api/v1/blobs/uploads").then().statusCode(202).extract().header("Location");
        Response patch = given().header("Content-Range", "0-" + (4 * MIB - 1)).contentType("application/octet-stream")
                .body(new byte[4 * MIB]).patch(location);
        assertThat(patch.statusCode()).as(patch.asString()).isEqualTo(507);
        assertThat(patch.jsonPath().getString("detail")).contains("disk is full");
        given().get(location).then().statusCode(204).header("Range", "0-0");
        given().delete(location).then().statusCode(204);
        assertThat(metric("wings_image_store_disk_full_total") - full).isEqualTo(3.0);

        // What it held is whole and served; an SRE sees the room left.
        servedWhole(b);
        servedWhole(c);
        double usable = metric("wings_image_store_usable_bytes");
        assertThat(usable).isGreaterThan(0).isLessThan(SmallDisk.BYTES - 6.0 * MIB + 1);

        // Once its length is known, the blob refused above fits by evicting, and comes whole.
        upstream.chunked.remove(unsized);
        servedWhole(unsized);
        assertThat(uploadsLeft()).isEmpty();
    }
}
