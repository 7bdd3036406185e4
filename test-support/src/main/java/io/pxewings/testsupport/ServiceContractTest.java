package io.pxewings.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.pxewings.common.problem.Problem;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.service.ServiceStarted;

/**
 * What every PXE Wings service promises, checked against the real broker (and database): readiness
 * that covers Kafka (and PostgreSQL), liveness, Prometheus metrics, OpenAPI, its identity, and the
 * {@code service.started} fact on the broker. Each service module runs it with an empty
 * {@code @QuarkusTest} subclass; the service name and database come from the service's own config.
 */
public abstract class ServiceContractTest {

    static final String KAFKA_CHECK = "Kafka connection health check";
    static final String DATABASE_CHECK = "Database connections health check";

    protected String serviceName() {
        return ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
    }

    /** Kafka always; PostgreSQL for a service that has a datasource. */
    protected List<String> readinessChecks() {
        boolean database = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.db-kind", String.class)
                .isPresent();
        return database ? List.of(KAFKA_CHECK, DATABASE_CHECK) : List.of(KAFKA_CHECK);
    }

    @Test
    void readinessIsUpAndCoversItsDependencies() {
        var names = given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .extract().jsonPath().<String>getList("checks.name");
        assertThat(names).as("readiness checks").containsAll(readinessChecks());
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void exposesPrometheusMetrics() {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge")
                .contains("wings_events_published_total");
    }

    @Test
    void documentsItsApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.keySet()", hasItem("/api/v1/service"));
    }

    @Test
    void saysWhoItIs() {
        given().get("/api/v1/service").then().statusCode(200)
                .body("service", equalTo(serviceName()))
                .body("site", equalTo("test"))
                .body("source", equalTo("/sites/test/" + serviceName() + "/test-1"));
    }

    @Test
    void announcesItsStartOnTheRealBroker() {
        try (EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.SERVICE_LIFECYCLE.name())) {
            WingsEvent<?> event = probe.await(e -> e.type() == EventTypes.SERVICE_STARTED
                    && e.source().equals("/sites/test/" + serviceName() + "/test-1"), Duration.ofSeconds(30));
            ServiceStarted started = event.dataAs(EventTypes.SERVICE_STARTED);
            assertThat(started.service()).isEqualTo(serviceName());
            assertThat(started.site()).isEqualTo("test");
            assertThat(started.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(event.site()).isEqualTo("test");
            assertThat(event.subject()).isEqualTo(serviceName() + "/test-1");
        }
    }

    @Test
    void unknownApiPathsAnswerProblemJson() {
        given().get("/api/v1/no-such-thing").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE).body("status", equalTo(404));
    }

    /** Every alive-interval (1 s in tests) the instance says it still runs: what keeps it from going stale in the registry. */
    @Test
    void saysItIsAliveOnTheRealBroker() {
        try (EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.SERVICE_LIFECYCLE.name())) {
            WingsEvent<?> first = probe.await(e -> e.type() == EventTypes.SERVICE_ALIVE
                    && e.source().equals("/sites/test/" + serviceName() + "/test-1"), Duration.ofSeconds(30));
            WingsEvent<?> next = probe.await(e -> e.type() == EventTypes.SERVICE_ALIVE
                    && e.source().equals("/sites/test/" + serviceName() + "/test-1") && e.time().isAfter(first.time()), Duration.ofSeconds(30));
            assertThat(((ServiceStarted) next.data()).service()).isEqualTo(serviceName());
            assertThat(((ServiceStarted) next.data()).httpUrl()).startsWith("http://");
        }
    }
}
