package io.pxewings.httpboot.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.agent.AgentLog;
import io.pxewings.events.agent.AgentTask;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.agent.TaskResult;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.httpboot.config.HttpBootConfig;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventInjector;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.PrometheusText;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
class AgentApiTest {

    @Inject
    HttpBootConfig config;

    @Inject
    ServiceIdentity identity;

    @Inject
    TaskView tasks;

    /** One boot's token per machine: a second boot's would be refused once the first reported (MachineTokensTest). */
    static final Map<String, String> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    String token(String mac) {
        return TOKENS.computeIfAbsent(mac, m -> new AgentTokens(config.agent().secret(), identity.site()).issue(m,
                AgentTokens.newBootId(), Instant.now(), Instant.now().plusSeconds(600)));
    }

    RequestSpecification as(String mac) {
        return given().header("Authorization", "Bearer " + token(mac)).header(AgentAuth.MAC_HEADER, mac);
    }

    static InventoryReported report(String mac) {
        return new InventoryReported(mac, "uefi", "4c4c4544-0031-3010-8052-b4c04f395331", "SN1", "QEMU", "Standard PC", null,
                "QEMU Virtual CPU", 1, 2, 2, 536_870_912L,
                List.of(new InventoryReported.Disk("vda", 2_147_483_648L, null, "disk-1", false, null)),
                List.of(new InventoryReported.Nic("eth0", mac, 1000, true)), "0.1.0", null);
    }

    @Test
    void tokensAreCheckedOnEveryCall() {
        String mac = "52:54:00:00:01:01";
        assertThat(given().header(AgentAuth.MAC_HEADER, mac).get("/api/agent/v1/next-task?wait=0").statusCode())
                .as("no token").isEqualTo(401);
        assertThat(given().header("Authorization", "Bearer " + token(mac)).get("/api/agent/v1/next-task?wait=0").statusCode())
                .as("no MAC").isEqualTo(401);
        assertThat(given().header("Authorization", "Bearer nonsense").header(AgentAuth.MAC_HEADER, mac)
                .get("/api/agent/v1/next-task?wait=0").statusCode()).as("malformed token").isEqualTo(401);
        Response other = given().header("Authorization", "Bearer " + token("52:54:00:00:01:02")).header(AgentAuth.MAC_HEADER, mac)
                .get("/api/agent/v1/next-task?wait=0");
        assertThat(other.statusCode()).as("another machine's token").isEqualTo(403);
        assertThat(other.contentType()).startsWith("application/problem+json");
        String expired = new AgentTokens(config.agent().secret(), identity.site()).issue(mac, AgentTokens.newBootId(), Instant.now().minusSeconds(600), Instant.now().minusSeconds(1));
        assertThat(given().header("Authorization", "Bearer " + expired).header(AgentAuth.MAC_HEADER, mac)
                .get("/api/agent/v1/next-task?wait=0").statusCode()).as("expired").isEqualTo(403);
        assertThat(as(mac).get("/api/agent/v1/next-task?wait=0").statusCode()).as("its own token").isEqualTo(204);
    }

    @Test
    void inventoryBecomesAFactAndBadReportsChangeNothing() {
        String mac = "52:54:00:00:01:11";
        try (EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.AGENT_FACTS.name())) {
            assertThat(as(mac).contentType("application/json").body(report("52:54:00:00:01:12")).post("/api/agent/v1/inventory")
                    .statusCode()).as("a report for another machine").isEqualTo(403);
            InventoryReported bad = new InventoryReported(mac, "coreboot", null, null, null, null, null, null, null, null, null,
                    null, List.of(), List.of(), null, null);
            Response r = as(mac).contentType("application/json").body(bad).post("/api/agent/v1/inventory");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.jsonPath().getString("detail")).startsWith("firmware:");
            assertThat(as(mac).contentType("application/json").body("{not json").post("/api/agent/v1/inventory").statusCode())
                    .isEqualTo(400);
            assertThat(as(mac).contentType("application/json").body("{\"mac\":\"" + mac + "\",\"serial\":\"" + "x".repeat(2_000_000) + "\"}")
                    .post("/api/agent/v1/inventory").statusCode()).as("over the body limit").isEqualTo(413);

            assertThat(as(mac).contentType("application/json").body(report(mac)).post("/api/agent/v1/inventory").statusCode())
                    .isEqualTo(202);
            // Facts of one MAC stay in order on their partition: the first one must be the good report.
            WingsEvent<?> e = probe.await(x -> mac.equals(x.key()), Duration.ofSeconds(30));
            assertThat(e.type()).isEqualTo(EventTypes.AGENT_INVENTORY_REPORTED);
            assertThat(e.data()).as("the refused reports were not published").isEqualTo(report(mac).forBoot(token(mac).split("\\.")[1]));
        }
    }

    @Test
    void aLongPollIsAnsweredWhenTheTaskArrivesOnTheTopic() throws Exception {
        String mac = "52:54:00:00:01:21";
        assertThat(as(mac).get("/api/agent/v1/next-task?wait=61").statusCode()).isEqualTo(400);
        CompletableFuture<Response> poll = CompletableFuture.supplyAsync(() -> as(mac).get("/api/agent/v1/next-task?wait=30"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waiting() > 0);
        AgentTask task = new AgentTask("t-" + UUID.randomUUID(), mac, "wait", Map.of("seconds", "5"), Instant.now());
        long sent = System.nanoTime();
        try (EventInjector injector = new EventInjector(EmbeddedInfra.shared().kafkaBootstrap())) {
            injector.send(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.AGENT_TASK_ASSIGNED,
                    "/sites/test/orchestrator/o-1", mac, "test", Instant.now(), Traceparent.newRoot(), mac, task));
        }
        Response r = poll.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("answered on arrival, not at the end of the wait")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.jsonPath().getString("id")).isEqualTo(task.id());
        assertThat(r.jsonPath().getString("params.seconds")).isEqualTo("5");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == 0);
        assertThat(as(mac).get("/api/agent/v1/next-task?wait=1").statusCode()).as("the task again: not finished yet").isEqualTo(200);
        String idle = "52:54:00:00:01:22";
        assertThat(as(idle).get("/api/agent/v1/next-task?wait=1").statusCode()).as("no task within the wait").isEqualTo(204);
        assertThat(waiting()).as("a poll that timed out is not counted as waiting").isZero();

        Response text = as(mac).accept("text/plain").get("/api/agent/v1/next-task?wait=0");
        assertThat(text.asString()).isEqualTo("TASK_ID=" + task.id() + "\nTASK_KIND=wait\nTASK_SECONDS=5\n");
    }

    double waiting() {
        return PrometheusText.sum(io.restassured.RestAssured.get("/q/metrics").asString(), "wings_http_boot_agent_polls_waiting");
    }

    @Test
    void progressResultAndLogInKeyValueLines() {
        String mac = "52:54:00:00:01:31";
        AgentTask task = new AgentTask("t-" + UUID.randomUUID(), mac, "inventory", Map.of(), Instant.now());
        tasks.put(task);
        try (EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.AGENT_FACTS.name())) {
            assertThat(as(mac).contentType("text/plain").body("PERCENT=50\nMESSAGE=reading disks\n")
                    .post("/api/agent/v1/tasks/" + task.id() + "/progress").statusCode()).isEqualTo(202);
            assertThat(as(mac).contentType("text/plain").body("PERCENT=150\n").post("/api/agent/v1/tasks/" + task.id() + "/progress")
                    .statusCode()).isEqualTo(400);
            assertThat(as(mac).contentType("text/plain").body("PERCENT=1\n").post("/api/agent/v1/tasks/t-other/progress")
                    .statusCode()).as("not its current task").isEqualTo(409);
            assertThat(as(mac).contentType("text/plain").body("percent 1\n").post("/api/agent/v1/tasks/" + task.id() + "/progress")
                    .statusCode()).as("not KEY=VALUE").isEqualTo(400);
            Response done = as(mac).contentType("text/plain").accept("text/plain")
                    .body("OUTCOME=completed\nMESSAGE=inventory posted\nDETAIL_DISKS=1\n").post("/api/agent/v1/tasks/" + task.id() + "/result");
            assertThat(done.statusCode()).isEqualTo(202);
            assertThat(done.asString()).isEqualTo("ACCEPTED=result\n");
            WingsEvent<?> completed = probe.await(x -> x.type() == EventTypes.AGENT_TASK_COMPLETED && mac.equals(x.key()),
                    Duration.ofSeconds(30));
            assertThat(completed.data()).isEqualTo(new TaskResult(mac, task.id(), "inventory", "inventory posted", Map.of("disks", "1")));
            assertThat(as(mac).get("/api/agent/v1/next-task?wait=0").statusCode()).as("a finished task is not handed out again")
                    .isEqualTo(204);

            assertThat(as(mac).contentType("text/plain").body("eth0 up\nudhcpc: lease of 10.77.0.23\n")
                    .post("/api/agent/v1/log?level=info").statusCode()).isEqualTo(202);
            WingsEvent<?> log = probe.await(x -> x.type() == EventTypes.AGENT_LOG && mac.equals(x.key()), Duration.ofSeconds(30));
            assertThat(log.data()).isEqualTo(new AgentLog(mac, "info", List.of("eth0 up", "udhcpc: lease of 10.77.0.23")));
        }
    }
}
