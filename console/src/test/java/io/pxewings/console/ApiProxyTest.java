package io.pxewings.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The console's proxy, in front of a stub service (StubUpstream: a JDK HTTP server on loopback,
 * because what is checked is what reaches a service, byte for byte, and when), and its pages. The
 * pages against the real services, in a real browser, are ConsoleInBrowser (deploy/suite-it).
 */
@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
@QuarkusTestResource(StubUpstream.class)
class ApiProxyTest {

    @Test
    void aServiceIsReachedUnderItsNameWithThePrefixStrippedAndItsAnswerPassedAsItIs() {
        given().urlEncodingEnabled(false).get("/proxy/stub/echo/a%20b?x=1&y=%2F").then().statusCode(200)
                .body("method", equalTo("GET")).body("uri", equalTo("/echo/a%20b?x=1&y=%2F"));
        given().contentType("application/json").body("{\"machines\":[\"m-1\"]}").post("/proxy/stub/echo").then().statusCode(200)
                .body("method", equalTo("POST")).body("body", equalTo("{'machines':['m-1']}"));
        given().get("/proxy/stub/echo/refuse").then().statusCode(409);
    }

    @Test
    void anEventStreamPassesAsItComesNotWhenItEnds() throws Exception {
        HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + RestAssured.port + "/proxy/stub/stream")).build(), HttpResponse.BodyHandlers.ofLines());
        List<Long> seen = new ArrayList<>();
        r.body().filter(l -> l.startsWith("data:")).forEach(l -> seen.add(System.currentTimeMillis()));
        assertThat(seen).hasSize(2);
        // The stub waits a second between the two: a buffering proxy would hand both over at once.
        assertThat(seen.get(1) - seen.get(0)).isGreaterThan(700);
    }

    @Test
    void theUpstreamsAreListedForThePages() {
        given().get("/proxy").then().statusCode(200).contentType(containsString("application/json"))
                .body("upstreams", org.hamcrest.Matchers.hasItems("orchestrator", "dhcp", "stub"))
                .body("upstreams", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("nothing")));
    }

    @Test
    void anUnknownServiceIsA404ProblemThatNamesTheKnownOnes() {
        given().get("/proxy/nothing/api/v1/machines").then().statusCode(404).contentType(containsString("application/problem+json"))
                .body("detail", containsString("no service 'nothing'")).body("detail", containsString("orchestrator"));
    }

    @Test
    void aServiceThatIsDownIsABadGatewayNotAHang() {
        given().get("/proxy/down/api/v1/anything").then().statusCode(502);
    }

    @Test
    void thePagesAndTheirLibrariesAreServed() {
        given().get("/").then().statusCode(200).body(containsString("x-data=\"shell\"")).body(containsString("/webjars/alpinejs/"));
        String html = given().get("/").then().extract().asString();
        String alpine = html.replaceAll("(?s).*src=\"(/webjars/alpinejs/[^\"]+)\".*", "$1");
        String pico = html.replaceAll("(?s).*href=\"(/webjars/picocss__pico/[^\"]+)\".*", "$1");
        given().get(alpine).then().statusCode(200).body(containsString("Alpine"));
        given().get(pico).then().statusCode(200);
        given().get("/console.js").then().statusCode(200).body(containsString("Alpine.data('machinesPage'"));
    }
}
