package io.pxewings.httpboot.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pxewings.events.EventSources;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.dhcp.DiscoverSeen;
import io.pxewings.events.dhcp.LeaseChanged;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventInjector;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Machine tokens that only the machine can get (the default, {@code trust-source=lease}): a
 * script carries a token only for a request from the address the MAC's DHCP lease holds, a token
 * is used only from there, and the first inventory of a boot makes that boot the machine's until
 * it boots again (a DHCP DISCOVER, then a new script). The requests here come from 127.0.0.1, so
 * a machine "is" on loopback when its lease fact says 127.0.0.1.
 */
@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
@TestProfile(MachineTokensTest.LeaseBound.class)
class MachineTokensTest {

    public static class LeaseBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wings.http-boot.agent.trust-source", "lease");
        }
    }

    static final Pattern TOKEN = Pattern.compile("wings\\.token=(\\S+)");

    static void fact(WingsEvent<?> e) {
        try (EventInjector injector = new EventInjector(EmbeddedInfra.shared().kafkaBootstrap())) {
            injector.send(e);
        }
    }

    static void lease(String mac, String ip) {
        fact(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.DHCP_LEASE_BOUND, EventSources.of("test", "dhcp-service", "t"),
                mac, "test", Instant.now(), Traceparent.newRoot(), mac, new LeaseChanged(mac, ip, "lab", null, Instant.now().plusSeconds(3600))));
    }

    static void discover(String mac) {
        fact(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.DHCP_DISCOVER_SEEN, EventSources.of("test", "dhcp-service", "t"),
                mac, "test", Instant.now(), Traceparent.newRoot(), mac, new DiscoverSeen(mac, "X64_UEFI", 7, "uefi", "PXEClient",
                        List.of(), null, null)));
    }

    static String script(String mac) {
        return given().get("/boot.ipxe?mac=" + mac).then().statusCode(200).extract().asString();
    }

    /** The token of a script, waiting for the lease fact to reach the view. */
    static String mint(String mac) {
        String[] token = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Matcher m = TOKEN.matcher(script(mac));
            token[0] = m.find() ? m.group(1) : null;
            return token[0] != null;
        });
        return token[0];
    }

    static Response inventory(String mac, String token) {
        return given().header("Authorization", "Bearer " + token).header(AgentAuth.MAC_HEADER, mac).contentType("application/json")
                .body(AgentApiTest.report(mac)).post("/api/agent/v1/inventory");
    }

    static int poll(String mac, String token) {
        return given().header("Authorization", "Bearer " + token).header(AgentAuth.MAC_HEADER, mac).get("/api/agent/v1/next-task?wait=0")
                .statusCode();
    }

    @Test
    void aScriptForAMachineWithNoLeaseHereHasNoTokenAndAsksAgainSoon() {
        String body = script("52:54:00:aa:00:01");
        assertThat(body).doesNotContain("wings.token=").contains("no agent token for this request").contains("sleep 3");
    }

    @Test
    void theAttackFromAnotherAddressGetsNoTokenAndAStolenTokenIsRefusedThere() throws Exception {
        String mac = "52:54:00:aa:00:02";
        lease(mac, "10.77.0.150");   // the machine is at 10.77.0.150; this test calls from 127.0.0.1
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> script(mac).contains("not from " + mac));
        assertThat(script(mac)).doesNotContain("wings.token=").contains("sleep 60");
        // Even a genuine token (as if read off the machine's console) is refused from here, and changes nothing.
        String stolen = new AgentTokens("test-only-agent-secret-not-for-production-use", "test").issue(mac, AgentTokens.newBootId(),
                Instant.now(), Instant.now().plusSeconds(600));
        try (EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.AGENT_FACTS.name())) {
            Response r = inventory(mac, stolen);
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.asString()).contains("not from " + mac);
            assertThat(probe.awaitNone(e -> e.type() == EventTypes.AGENT_INVENTORY_REPORTED && mac.equals(e.subject()),
                    Duration.ofSeconds(2))).as("nothing recorded").isTrue();
        }
    }

    @Test
    void theFirstInventoryOfABootMakesItTheMachinesUntilItBootsAgain() throws Exception {
        String mac = "52:54:00:aa:00:03";
        lease(mac, "127.0.0.1");
        String first = mint(mac);
        InventoryReported reported;
        try (EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.AGENT_FACTS.name())) {
            assertThat(inventory(mac, first).statusCode()).isEqualTo(202);
            reported = (InventoryReported) probe.await(e -> e.type() == EventTypes.AGENT_INVENTORY_REPORTED && mac.equals(e.subject()),
                    Duration.ofSeconds(20)).data();
        }
        assertThat(reported.bootId()).as("the fact names the boot").isEqualTo(first.split("\\.")[1]);

        // Someone asks for the script again (no reboot: no DHCP DISCOVER since): that token is refused,
        // for now (503: a real reboot's DISCOVER may be late, its site cut off from Kafka), and records nothing.
        String second = mint(mac);
        try (EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.AGENT_FACTS.name())) {
            Response refused = inventory(mac, second);
            assertThat(refused.statusCode()).as("a second token minted meanwhile").isEqualTo(503);
            assertThat(refused.asString()).contains("not confirmed yet", "no DHCP DISCOVER");
            assertThat(poll(mac, second)).isEqualTo(503);
            assertThat(probe.awaitNone(e -> e.type() == EventTypes.AGENT_INVENTORY_REPORTED && mac.equals(e.subject())
                    && !((InventoryReported) e.data()).bootId().equals(reported.bootId()), Duration.ofSeconds(2))).as("nothing recorded").isTrue();
        }
        assertThat(poll(mac, first)).as("the machine's own boot goes on").isEqualTo(204);

        // The machine reboots: a DISCOVER, then its firmware's script: the new boot takes over.
        Thread.sleep(1100);   // tokens carry whole seconds
        discover(mac);
        Thread.sleep(1100);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() ->
                inventory(mac, mint(mac)).statusCode() == 202);
        assertThat(poll(mac, first)).as("the boot before the reboot").isEqualTo(403);
        assertThat(inventory(mac, second).statusCode()).as("the script fetched before the reboot, for good").isEqualTo(403);
    }

    /**
     * A machine that boots again while its site is cut off from Kafka: its new boot's token is minted
     * (the lease view is local), but its DISCOVER reaches this instance only when the site is back.
     * Its inventory is refused for now (503), and taken once the late DISCOVER arrives.
     */
    @Test
    void aRebootWhoseDiscoverArrivesLateIsTakenOnceItHas() throws Exception {
        String mac = "52:54:00:aa:00:05";
        lease(mac, "127.0.0.1");
        String first = mint(mac);
        assertThat(inventory(mac, first).statusCode()).isEqualTo(202);
        Thread.sleep(1100);   // tokens carry whole seconds
        Instant rebooted = Instant.now();   // its DISCOVER, held back by the cut
        Thread.sleep(1100);
        String fresh = mint(mac);
        assertThat(inventory(mac, fresh).statusCode()).as("before its DISCOVER is known").isEqualTo(503);
        fact(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.DHCP_DISCOVER_SEEN, EventSources.of("test", "dhcp-service", "t"),
                mac, "test", rebooted, Traceparent.newRoot(), mac, new DiscoverSeen(mac, "X64_UEFI", 7, "uefi", "PXEClient",
                        List.of(), null, null)));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> inventory(mac, fresh).statusCode() == 202);
        assertThat(poll(mac, first)).as("the boot before the reboot").isEqualTo(403);
    }

    @Test
    void anAgentTradesItsTokenForAFreshOneOfTheSameBoot() {
        String mac = "52:54:00:aa:00:04";
        lease(mac, "127.0.0.1");
        String token = mint(mac);
        String fresh = given().header("Authorization", "Bearer " + token).header(AgentAuth.MAC_HEADER, mac).header("Accept", "text/plain")
                .post("/api/agent/v1/token").then().statusCode(200).extract().asString().trim();
        assertThat(fresh).startsWith("TOKEN=v2." + token.split("\\.")[1] + ".");
        assertThat(poll(mac, fresh.substring("TOKEN=".length()))).isEqualTo(204);
    }
}
