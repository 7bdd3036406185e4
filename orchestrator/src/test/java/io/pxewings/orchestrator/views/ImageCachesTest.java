package io.pxewings.orchestrator.views;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.events.catalog.EventType;
import io.pxewings.events.EventTypes;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.image.CacheBlob;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventInjector;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Which site caches hold a blob, from the caches' fetched and evicted facts on the real broker: two
 * caches of one site and one of another fetch it; one evicts it; a fact delivered twice changes
 * nothing; a bad digest is a 400.
 */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class ImageCachesTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static EventInjector injector;

    @BeforeAll
    static void connect() {
        injector = new EventInjector(EmbeddedInfra.shared().kafkaBootstrap());
    }

    @AfterAll
    static void disconnect() {
        injector.close();
    }

    @Test
    void theCachesOfABlobAreItsFetchesLessItsEvictionsPerCacheInstance() {
        byte[] raw = new byte[32];
        ThreadLocalRandom.current().nextBytes(raw);
        String digest = "sha256:" + HexFormat.of().formatHex(raw);
        WingsEvent<?> first = send(EventTypes.IMAGE_CACHE_BLOB_FETCHED, "east", "cache-1", new CacheBlob(digest, 4096, "central:8085"));
        send(EventTypes.IMAGE_CACHE_BLOB_FETCHED, "east", "cache-2", new CacheBlob(digest, 4096, "central:8085"));
        send(EventTypes.IMAGE_CACHE_BLOB_FETCHED, "west", "cache-1", new CacheBlob(digest, 4096, "central:8085"));
        injector.send(first);   // delivered twice
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/image-caches?digest=" + digest).then().statusCode(200)
                .body("caches", hasSize(3)));
        send(EventTypes.IMAGE_CACHE_BLOB_EVICTED, "east", "cache-2", new CacheBlob(digest, 4096, null));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/image-caches?digest=" + digest).then().statusCode(200)
                .body("caches.site", org.hamcrest.Matchers.contains("east", "west"))
                .body("caches.source", org.hamcrest.Matchers.contains("/sites/east/image-service/cache-1", "/sites/west/image-service/cache-1"))
                .body("caches[0].bytes", equalTo(4096)));
        given().get("/api/v1/image-caches").then().statusCode(200).body("caches.digest", org.hamcrest.Matchers.hasItem(digest));
        given().get("/api/v1/image-caches?digest=md5:00").then().statusCode(400).contentType(containsString("problem+json"))
                .body("detail", containsString("digest"));
    }

    static <T extends Record> WingsEvent<T> send(EventType<T> type, String site, String instance, T data) {
        String digest = ((CacheBlob) data).digest();
        WingsEvent<T> e = new WingsEvent<>(UUID.randomUUID().toString(), type, "/sites/" + site + "/image-service/" + instance, digest, site,
                Instant.now(), Traceparent.newRoot(), digest, data);
        injector.send(e);
        return e;
    }
}
