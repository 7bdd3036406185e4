package io.pxewings.httpboot.firstboot;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.agent.FirstBoot;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.httpboot.agent.AgentAuth;
import io.pxewings.httpboot.agent.AgentTokens;
import io.pxewings.httpboot.config.HttpBootConfig;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.PrometheusText;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * The seed the agent's configure task writes, and the installed system's phone_home that spends
 * its first-boot token: a valid report becomes one fact; a forged, foreign, expired, agent's or
 * spent token, or a report without instance_id, is refused and publishes nothing.
 */
@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
class FirstBootTest {

    static final Pattern PHONE_HOME = Pattern.compile(
            "phone_home:\\n  url: \"(http://[^\"]+/api/first-boot/v1/phone-home/([0-9a-f:]+)\\?token=(fb1\\.[^\"]+))\"\\n  post: all\\n");

    @Inject
    HttpBootConfig config;

    @Inject
    ServiceIdentity identity;

    String agentToken(String mac, String bootId) {
        return new AgentTokens(config.agent().secret(), identity.site()).issue(mac, bootId, Instant.now(), Instant.now().plusSeconds(600));
    }

    AgentTokens firstBootTokens() {
        return AgentTokens.firstBoot(config.agent().secret(), identity.site());
    }

    @Test
    void theSeedCarriesAOneTimePhoneHomeForThisBootAndOnlyThatReportBecomesAFact() {
        String mac = "52:54:00:00:0f:01";
        String boot = AgentTokens.newBootId();
        String agent = agentToken(mac, boot);
        assertThat(given().header(AgentAuth.MAC_HEADER, mac).get("/api/agent/v1/seed/user-data").statusCode())
                .as("the seed is the machine's only").isEqualTo(401);
        assertThat(given().header("Authorization", "Bearer " + agent).header(AgentAuth.MAC_HEADER, mac)
                .get("/api/agent/v1/seed/kickstart").statusCode()).isEqualTo(404);
        String meta = given().header("Authorization", "Bearer " + agent).header(AgentAuth.MAC_HEADER, mac)
                .get("/api/agent/v1/seed/meta-data").then().statusCode(200).extract().asString();
        assertThat(meta).contains("instance-id: \"" + mac + "\"").contains("local-hostname: \"wings-525400000f01\"");
        String userData = given().header("Authorization", "Bearer " + agent).header(AgentAuth.MAC_HEADER, mac)
                .get("/api/agent/v1/seed/user-data").then().statusCode(200).extract().asString();
        assertThat(userData).startsWith("#cloud-config");
        Matcher m = PHONE_HOME.matcher(userData);
        assertThat(m.find()).as(userData).isTrue();
        assertThat(m.group(2)).isEqualTo(mac);
        String token = m.group(3);
        assertThat(token.split("\\.")[1]).as("the token is of the boot that asked for the seed").isEqualTo(boot);
        String path = "/api/first-boot/v1/phone-home/" + mac;

        try (EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.AGENT_FACTS.name())) {
            assertThat(post(path, null, "i-1").statusCode()).as("no token").isEqualTo(401);
            assertThat(post(path, agent, "i-1").statusCode()).as("the agent's own token is not a first-boot token").isEqualTo(401);
            String forged = token.substring(0, token.lastIndexOf('.') + 1) + "A".repeat(43);
            assertThat(post(path, forged, "i-1").statusCode()).as("forged").isEqualTo(403);
            String foreign = firstBootTokens().issue("52:54:00:00:0f:02", boot, Instant.now(), Instant.now().plusSeconds(600));
            assertThat(post(path, foreign, "i-1").statusCode()).as("another machine's").isEqualTo(403);
            String expired = firstBootTokens().issue(mac, boot, Instant.now().minusSeconds(7200), Instant.now().minusSeconds(1));
            Response r = post(path, expired, "i-1");
            assertThat(r.statusCode()).as("expired").isEqualTo(403);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(post(path, token, null).statusCode()).as("no instance_id").isEqualTo(400);
            assertThat(post("/api/first-boot/v1/phone-home/not-a-mac", token, "i-1").statusCode()).isEqualTo(400);

            Response ok = given().contentType("application/x-www-form-urlencoded").queryParam("token", token)
                    .formParams(Map.of("instance_id", "i-1", "hostname", "node-7", "fqdn", "node-7.rack1.example",
                            "pub_key_rsa", "N/A", "pub_key_ed25519", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9r host"))
                    .post(path);
            assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(200);
            WingsEvent<?> e = probe.await(x -> mac.equals(x.key()) && x.type() == EventTypes.AGENT_FIRST_BOOT, Duration.ofSeconds(30));
            assertThat(e.data()).isEqualTo(new FirstBoot(mac, boot, "i-1", "node-7", "node-7.rack1.example", "127.0.0.1",
                    Map.of("ed25519", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9r host")));

            Response again = post(path, token, "i-1");
            assertThat(again.statusCode()).as("a token is good once").isEqualTo(409);
            assertThat(again.jsonPath().getString("detail")).contains("was reported already");
            assertThat(probe.awaitNone(x -> mac.equals(x.key()) && x.type() == EventTypes.AGENT_FIRST_BOOT, Duration.ofSeconds(2)))
                    .as("only the valid report is a fact").isTrue();
        }
        String metrics = given().get("/q/metrics").asString();
        assertThat(PrometheusText.sum(metrics, "wings_http_boot_first_boot_total", "outcome", "reported")).isGreaterThanOrEqualTo(1);
        assertThat(PrometheusText.sum(metrics, "wings_http_boot_first_boot_total", "outcome", "spent")).isGreaterThanOrEqualTo(1);
    }

    static Response post(String path, String token, String instanceId) {
        var spec = given().contentType("application/x-www-form-urlencoded").formParam("hostname", "node-7");
        if (token != null) {
            spec = spec.queryParam("token", token);
        }
        if (instanceId != null) {
            spec = spec.formParam("instance_id", instanceId);
        }
        return spec.post(path);
    }
}
