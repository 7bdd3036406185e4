package io.pxewings.orchestrator.services;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.service.ServiceStarted;
import io.pxewings.events.service.ServiceStopped;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventInjector;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The registry built from service lifecycle facts, through the real broker into the real database. */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class ServiceRegistryTest {

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
    void aStartedFactFromAnotherServiceAppearsInTheRegistry() {
        String site = "reg" + suffix();
        injector.send(started(site, "tftp-service", "edge-1", Instant.now()));

        awaitState(site, "tftp-service", "running");
        given().get("/api/v1/services?site=" + site).then().statusCode(200)
                .body("[0].site", equalTo(site))
                .body("[0].host", equalTo("edge-1.example"))
                .body("[0].httpUrl", equalTo("http://10.0.0.5:8082"));
    }

    @Test
    void repeatedAndOlderFactsChangeNothing() {
        String site = "dup" + suffix();
        Instant t = Instant.now();
        WingsEvent<ServiceStarted> start = started(site, "dhcp-service", "edge-1", t);
        injector.send(start);
        injector.send(start);
        injector.send(stopped(site, "dhcp-service", "edge-1", t.minusSeconds(60)));
        injector.send(started(site, "dhcp-service", "edge-2", t.plusSeconds(1)));

        awaitState(site, "dhcp-service", 2);
        List<String> states = given().get("/api/v1/services?site=" + site).then().extract().jsonPath().getList("state");
        assertThat(states).containsExactly("running", "running");

        injector.send(stopped(site, "dhcp-service", "edge-1", t.plusSeconds(5)));
        awaitState(site, "dhcp-service", "stopped");
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheConsumerKeepsGoing() {
        String site = "dlq" + suffix();
        String poisonKey = "poison-" + site;
        try (EventProbe deadLetters = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.DEAD_LETTER.name())) {
            injector.sendRaw(Topics.SERVICE_LIFECYCLE.name(), poisonKey,
                    List.of(new EventHeader("ce_specversion", "1.0"), new EventHeader("ce_type", EventTypes.SERVICE_STARTED.type())),
                    "{broken".getBytes(StandardCharsets.UTF_8));
            injector.send(started(site, "bmc-service", "edge-1", Instant.now()));

            var dead = deadLetters.awaitRecord(r -> poisonKey.equals(r.key()), Duration.ofSeconds(60));
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{broken");
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                    .contains("ce_id");
        }
        awaitState(site, "bmc-service", "running");
    }

    /** A crash sends nothing, so age decides; an alive fact (a start's fields again) keeps an instance running. */
    @Test
    void anInstanceSilentForLongIsStaleAndItsAliveFactMakesItRunningAgain() {
        String site = "alive" + suffix();
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(10));
        injector.send(started(site, "image-service", "cache-1", longAgo));
        awaitState(site, "image-service", "stale");
        ServiceStarted same = new ServiceStarted("image-service", "cache-1", site, "0.1.0", "cache-1.example", 77, "http://10.0.0.5:8082", longAgo);
        injector.send(event(EventTypes.SERVICE_ALIVE, site, "image-service", "cache-1", Instant.now(), same));
        awaitState(site, "image-service", "running");
    }

    @Test
    void aBadSiteFilterIsAProblem() {
        given().get("/api/v1/services?site=Not%20A%20Site").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("site"));
    }

    private static void awaitState(String site, String service, String state) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().accept(ContentType.JSON).get("/api/v1/services?site=" + site).then().statusCode(200)
                        .body("find { it.service == '" + service + "' && it.state == '" + state + "' }.instance",
                                org.hamcrest.Matchers.notNullValue()));
    }

    private static void awaitState(String site, String service, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(given().get("/api/v1/services?site=" + site).then().extract().jsonPath()
                        .getList("findAll { it.service == '" + service + "' }")).hasSize(count));
    }

    static WingsEvent<ServiceStarted> started(String site, String service, String instance, Instant at) {
        ServiceStarted data = new ServiceStarted(service, instance, site, "0.1.0", instance + ".example", 77,
                "http://10.0.0.5:8082", at);
        return event(EventTypes.SERVICE_STARTED, site, service, instance, at, data);
    }

    static WingsEvent<ServiceStopped> stopped(String site, String service, String instance, Instant at) {
        return event(EventTypes.SERVICE_STOPPED, site, service, instance, at,
                new ServiceStopped(service, instance, site, at, 10));
    }

    static <T extends Record> WingsEvent<T> event(EventType<T> type, String site, String service, String instance,
                                                  Instant at, T data) {
        String key = service + "/" + instance;
        return new WingsEvent<>(UUID.randomUUID().toString(), type, "/sites/" + site + "/" + service + "/" + instance,
                key, site, at, Traceparent.newRoot(), key, data);
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
