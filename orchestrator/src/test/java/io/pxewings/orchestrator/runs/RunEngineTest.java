package io.pxewings.orchestrator.runs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.agent.AgentTask;
import io.pxewings.events.agent.FirstBoot;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.agent.TaskResult;
import io.pxewings.events.bmc.BmcCommand;
import io.pxewings.events.bmc.CommandResult;
import io.pxewings.events.boot.BootIntent;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.image.ImageChanged;
import io.pxewings.events.image.ImageSnapshot;
import io.pxewings.events.machine.MachineRegistered;
import io.pxewings.events.machine.MachineSnapshot;
import io.pxewings.events.run.LifecycleChanged;
import io.pxewings.events.run.RunSnapshot;
import io.pxewings.events.service.ServiceStarted;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventInjector;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Runs on the real broker and database, fact by fact: the facts other services would publish are
 * injected (the lab test proves them against the real services), and what the orchestrator sends
 * is read back from the topics. Each test uses a site of its own, so caps and queues do not mix.
 */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class RunEngineTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static EventInjector injector;

    @Inject
    DataSource db;

    @Inject
    RunTimer timer;

    @BeforeAll
    static void connect() {
        injector = new EventInjector(EmbeddedInfra.shared().kafkaBootstrap());
    }

    @AfterAll
    static void disconnect() {
        injector.close();
    }

    @Test
    void aMachineIsProvisionedFactByFactAndNothingRepeatedOrStaleMovesIt() throws Exception {
        Site s = site();
        Machine m = s.machine("bios", true);
        String image = s.image(true, "both");
        try (EventProbe intents = probe(Topics.BOOT_INTENTS); EventProbe bmc = probe(Topics.BMC_COMMANDS);
             EventProbe tasks = probe(Topics.AGENT_TASKS); EventProbe facts = probe(Topics.RUN_FACTS)) {
            // The agent was up before the run: its report of that boot must not count as the run's.
            // (Seconds before: the orchestrator allows 2 s of clock skew between the BMC's and the agent's services.)
            Instant before = Instant.now().minusSeconds(5);
            injector.send(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.AGENT_INVENTORY_REPORTED, "/wings/" + s.site + "/test/1",
                    m.mac, s.site, before, Traceparent.newRoot(), m.mac, inventory(m.mac, "boot-old")));
            String runId = startWhenViewsHaveCaughtUp(Map.of("machines", List.of(m.mac), "image", image)).get(0);
            assertThat(((BootIntent) intents.await(e -> m.mac.equals(e.key()), WAIT).data()).intent()).isEqualTo("ramos");
            BmcCommand boot = (BmcCommand) bmc.await(e -> m.id.equals(e.key()), WAIT).data();
            BmcCommand cycle = (BmcCommand) bmc.await(e -> m.id.equals(e.key()), WAIT).data();
            assertThat(List.of(boot.action(), boot.bootDevice(), cycle.action())).containsExactly("set-boot-device", "pxe", "power-cycle");
            assertThat(boot.efi()).isFalse();
            LifecycleChanged provisioning = (LifecycleChanged) facts.await(e -> e.type() == EventTypes.MACHINE_LIFECYCLE_CHANGED
                    && m.id.equals(e.key()), WAIT).data();
            assertThat(provisioning.to()).isEqualTo("provisioning");
            assertThat(provisioning.from()).isEqualTo("inventoried");

            WingsEvent<?> done = send(EventTypes.BMC_COMMAND_COMPLETED, m.id, s.site,
                    new CommandResult(cycle.commandId(), m.id, "power-cycle", null, "ok", 1, "on", 900));
            awaitStage(runId, "await-agent");
            injector.send(done);   // the same fact again: applied once
            // The old boot's agent reported again before the power cycle ended it; the fact arrives late.
            injector.send(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.AGENT_INVENTORY_REPORTED, "/wings/" + s.site + "/test/1",
                    m.mac, s.site, before.plusMillis(1), Traceparent.newRoot(), m.mac, inventory(m.mac, "boot-old")));
            send(EventTypes.AGENT_INVENTORY_REPORTED, m.mac, s.site, inventory(m.mac, "boot-new"));
            awaitStage(runId, "write-image");
            AgentTask write = (AgentTask) tasks.await(e -> m.mac.equals(e.key()), WAIT).data();
            assertThat(write.kind()).isEqualTo("write-image");
            assertThat(write.params()).containsEntry("url", s.imageUrl + "/api/v1/blobs/sha256:" + "a".repeat(64))
                    .containsEntry("raw_sha256", "b".repeat(64)).containsEntry("raw_size", "67108864").containsEntry("format", "raw.zst");

            send(EventTypes.AGENT_TASK_COMPLETED, m.mac, s.site, new TaskResult(m.mac, "not-this-run", "write-image", "old", Map.of()));
            send(EventTypes.AGENT_TASK_COMPLETED, m.mac, s.site, new TaskResult(m.mac, write.id(), "write-image", "wrote 64 MiB", Map.of()));
            AgentTask configure = (AgentTask) tasks.await(e -> m.mac.equals(e.key()), WAIT).data();
            assertThat(configure.kind()).isEqualTo("configure");
            assertThat(configure.params()).isEqualTo(Map.of("root", "3"));
            send(EventTypes.AGENT_TASK_COMPLETED, m.mac, s.site, new TaskResult(m.mac, configure.id(), "configure", "seeded", Map.of()));

            // The hand-off: the intent is local and the BMC boots the disk before the kexec.
            assertThat(((BootIntent) intents.await(e -> m.mac.equals(e.key()), WAIT).data()).intent()).isEqualTo("local");
            BmcCommand disk = (BmcCommand) bmc.await(e -> m.id.equals(e.key()), WAIT).data();
            assertThat(List.of(disk.action(), disk.bootDevice(), String.valueOf(disk.persistent()))).containsExactly("set-boot-device", "disk", "true");
            AgentTask kexec = (AgentTask) tasks.await(e -> m.mac.equals(e.key()), WAIT).data();
            assertThat(kexec.kind()).isEqualTo("kexec");
            assertThat(kexec.params()).containsEntry("kernel", "/boot/vmlinuz-6.1").containsEntry("root", "3");
            send(EventTypes.AGENT_TASK_COMPLETED, m.mac, s.site, new TaskResult(m.mac, kexec.id(), "kexec", "kexec armed", Map.of()));
            awaitStage(runId, "await-first-boot");

            // A first boot from another deploy of this machine is not this run's success.
            send(EventTypes.AGENT_FIRST_BOOT, m.mac, s.site, new FirstBoot(m.mac, "boot-old", "i-1", "old", null, "10.0.0.9", Map.of()));
            send(EventTypes.AGENT_FIRST_BOOT, m.mac, s.site, new FirstBoot(m.mac, "boot-new", "i-2", "node-7", null, "10.0.0.9", Map.of()));
            Awaitility.await().atMost(WAIT).until(() -> status(runId).equals("succeeded"));
            RunSnapshot succeeded = (RunSnapshot) facts.await(e -> e.type() == EventTypes.RUN_SUCCEEDED && m.id.equals(e.key()), WAIT).data();
            assertThat(succeeded.id()).isEqualTo(runId);
            assertThat(((LifecycleChanged) facts.await(e -> e.type() == EventTypes.MACHINE_LIFECYCLE_CHANGED && m.id.equals(e.key()),
                    WAIT).data()).to()).isEqualTo("provisioned");

            Response view = given().get("/api/v1/runs/" + runId);
            view.then().statusCode(200).body("run.status", equalTo("succeeded")).body("run.stage", equalTo("done"));
            List<String> stages = view.jsonPath().getList("history.findAll { it.what == 'entered' }.stage");
            assertThat(stages).containsExactly("power-on", "await-agent", "write-image", "configure", "hand-off", "await-first-boot");
            assertThat(view.jsonPath().getList("history.what")).last().isEqualTo("succeeded");
            // Every command and fact went out once: one ramos intent, one local; one power cycle.
            assertThat(intents.awaitNone(e -> m.mac.equals(e.key()), Duration.ofSeconds(2))).isTrue();
            assertThat(bmc.awaitNone(e -> m.id.equals(e.key()), Duration.ofSeconds(1))).isTrue();
            // A provisioned machine can be provisioned again (reinstall): a new run.
            given().contentType(ContentType.JSON).body(Map.of("machines", List.of(m.id), "image", image)).post("/api/v1/runs")
                    .then().statusCode(202);
        }
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() throws Exception {
        Site s = site();
        Machine m = s.machine("uefi", true);
        String image = s.image(true, "both");
        String bios = s.image(true, "bios");
        String unsigned = s.image(false, "both");
        startWhenViewsHaveCaughtUp(Map.of("machines", List.of(m.id), "image", image));
        Machine other = s.machine("uefi", true);
        Awaitility.await().atMost(WAIT).until(() -> post(Map.of("machines", List.of(other.id), "image", bios)).statusCode() == 422
                && post(Map.of("machines", List.of(other.id), "image", unsigned)).statusCode() == 422);
        post(Map.of("machines", List.of(other.id), "image", "nope:1")).then().statusCode(404).body("detail", containsString("no image nope:1"));

        post(Map.of("machines", List.of(other.id, m.id), "image", image)).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("has a run already"));
        post(Map.of("machines", List.of(other.id), "image", unsigned)).then().statusCode(422).body("detail", containsString("not deployable"));
        post(Map.of("machines", List.of(other.id), "image", bios)).then().statusCode(422).body("detail", containsString("boots on bios"));
        post(Map.of("machines", List.of(UUID.randomUUID().toString()), "image", image)).then().statusCode(404);
        post(Map.of("machines", List.of(other.id), "image", "../etc")).then().statusCode(400);
        post(Map.of("selector", "rack=nowhere", "image", image)).then().statusCode(422).body("detail", containsString("matches no machine"));
        post(Map.of("machines", List.of(other.id), "image", image, "workflow", "dance")).then().statusCode(404);
        post(Map.of("machines", List.of(other.id), "image", image, "handOff", "warp")).then().statusCode(400)
                .body("detail", containsString("auto, kexec or reboot"));
        post(Map.of("machines", List.of(other.id), "workflow", "deprovision", "handOff", "reboot")).then().statusCode(400);
        given().get("/api/v1/runs/not-a-uuid").then().statusCode(400);
        // The machine named with the one that had a run got none from the refused request.
        given().get("/api/v1/runs?machine=" + other.id).then().statusCode(200).body("runs.size()", equalTo(0));
    }

    @Test
    void overTheSitesCapRunsWaitInOrderAndStartWhenRoomIsMade() throws Exception {
        Site s = site();
        Machine a = s.machine("bios", true);
        Machine b = s.machine("bios", true);
        Machine c = s.machine("bios", true);
        String image = s.image(true, "both");
        List<String> ids = startWhenViewsHaveCaughtUp(Map.of("machines", List.of(a.id, b.id, c.id), "image", image,
                "idempotencyKey", "k-" + s.site));
        assertThat(ids).hasSize(3);
        assertThat(status(ids.get(2))).isEqualTo("queued");
        given().get("/api/v1/runs/" + ids.get(2)).then().body("queuePosition", equalTo(1));
        given().get("/api/v1/sites/" + s.site + "/queue").then().body("running", equalTo(2)).body("queued", equalTo(1));
        // The same request again (a client's retry) starts nothing new.
        Response again = post(Map.of("machines", List.of(a.id, b.id, c.id), "image", image, "idempotencyKey", "k-" + s.site));
        again.then().statusCode(202);
        assertThat(again.jsonPath().getList("runs.id")).isEqualTo(ids);

        given().post("/api/v1/runs/" + ids.get(0) + "/cancel?by=test").then().statusCode(200).body("status", equalTo("cancelled"));
        given().post("/api/v1/runs/" + ids.get(0) + "/cancel").then().statusCode(409);
        Awaitility.await().atMost(WAIT).until(() -> status(ids.get(2)).equals("running"));
    }

    @Test
    void aFullImageStreamCapHoldsTheNextWriteInItsStageUntilTheFirstIsDone() throws Exception {
        Site s = new Site("gated-images");   // caps.sites."gated-images".image-streams=1 in the test profile
        Machine a = s.machine("bios", true);
        Machine b = s.machine("bios", true);
        String image = s.image(true, "both");
        try (EventProbe bmc = probe(Topics.BMC_COMMANDS); EventProbe tasks = probe(Topics.AGENT_TASKS)) {
            List<String> ids = startWhenViewsHaveCaughtUp(Map.of("machines", List.of(a.id, b.id), "image", image));
            for (Machine m : List.of(a, b)) {
                bmc.await(e -> m.id.equals(e.key()), WAIT);
                BmcCommand cycle = (BmcCommand) bmc.await(e -> m.id.equals(e.key()), WAIT).data();
                send(EventTypes.BMC_COMMAND_COMPLETED, m.id, s.site, new CommandResult(cycle.commandId(), m.id, "power-cycle", null, "ok", 1, "on", 900));
            }
            awaitStage(ids.get(0), "await-agent");
            awaitStage(ids.get(1), "await-agent");
            send(EventTypes.AGENT_INVENTORY_REPORTED, a.mac, s.site, inventory(a.mac, "boot-a"));
            AgentTask writeA = (AgentTask) tasks.await(e -> a.mac.equals(e.key()), WAIT).data();
            assertThat(writeA.kind()).isEqualTo("write-image");
            send(EventTypes.AGENT_INVENTORY_REPORTED, b.mac, s.site, inventory(b.mac, "boot-b"));
            // b is in write-image, but waits: one stream at a time in this site, and a has it.
            awaitStage(ids.get(1), "write-image");
            assertThat(tasks.awaitNone(e -> b.mac.equals(e.key()), Duration.ofSeconds(2))).as("no second stream").isTrue();
            given().get("/api/v1/runs/" + ids.get(1)).then().body("history.find { it.what == 'waiting' }.detail",
                    containsString("image streams: 1 of 1 in use in site gated-images"));
            given().get("/api/v1/sites/gated-images/queue").then().body("waiting[0].run.id", equalTo(ids.get(1)))
                    .body("waiting[0].stage", equalTo("write-image")).body("caps.imageStreams", equalTo(1));

            send(EventTypes.AGENT_TASK_COMPLETED, a.mac, s.site, new TaskResult(a.mac, writeA.id(), "write-image", "wrote 64 MiB", Map.of()));
            // a leaving write-image wakes b at once (its own recheck would be 30 s away)
            AgentTask writeB = (AgentTask) tasks.await(e -> b.mac.equals(e.key()), Duration.ofSeconds(10)).data();
            assertThat(writeB.kind()).isEqualTo("write-image");
            given().get("/api/v1/runs/" + ids.get(1)).then().body("history.find { it.what == 'entered' && it.stage == 'write-image' }.detail",
                    containsString("passed the site's caps"));
        }
    }

    @Test
    void powerOnsBeyondTheSitesRateWaitForATokenNotForAnError() throws Exception {
        Site s = new Site("gated-power");   // caps.sites."gated-power": one power-on a minute, a burst of one
        Machine a = s.machine("bios", true);
        Machine b = s.machine("bios", true);
        String image = s.image(true, "both");
        try (EventProbe bmc = probe(Topics.BMC_COMMANDS)) {
            List<String> ids = startWhenViewsHaveCaughtUp(Map.of("machines", List.of(a.id, b.id), "image", image));
            bmc.await(e -> a.id.equals(e.key()), WAIT);
            assertThat(bmc.awaitNone(e -> b.id.equals(e.key()), Duration.ofSeconds(2))).as("b's power-on waits for a token").isTrue();
            assertThat(status(ids.get(1))).isEqualTo("running");
            given().get("/api/v1/runs/" + ids.get(1)).then().body("run.stage", equalTo("power-on"))
                    .body("history.find { it.what == 'waiting' }.detail", containsString("power-ons: 1 a minute in site gated-power"));
        }
    }

    @Test
    void anAgentReportReadBeforeThePowerCyclesConfirmationStillCounts() throws Exception {
        Site s = site();
        Machine m = s.machine("bios", true);
        String image = s.image(true, "both");
        try (EventProbe bmc = probe(Topics.BMC_COMMANDS); EventProbe tasks = probe(Topics.AGENT_TASKS)) {
            String runId = startWhenViewsHaveCaughtUp(Map.of("machines", List.of(m.id), "image", image)).get(0);
            bmc.await(e -> m.id.equals(e.key()), WAIT);
            BmcCommand cycle = (BmcCommand) bmc.await(e -> m.id.equals(e.key()), WAIT).data();
            // The cycle was confirmed at `confirmed`; the RAM OS it started reported 100 ms later. The
            // orchestrator reads the agent's topic first (the BMC's lags, as in a storm).
            Instant confirmed = Instant.now();
            injector.send(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.AGENT_INVENTORY_REPORTED, "/wings/" + s.site + "/test/1",
                    m.mac, s.site, confirmed.plusMillis(100), Traceparent.newRoot(), m.mac, inventory(m.mac, "boot-early")));
            Awaitility.await().atMost(WAIT).until(() -> given().get("/api/v1/runs/" + runId).jsonPath()
                    .getList("history.findAll { it.what == 'entered' }").size() == 1 && lastBoot(m.id).equals("boot-early"));
            injector.send(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.BMC_COMMAND_COMPLETED, "/wings/" + s.site + "/test/1",
                    m.id, s.site, confirmed, Traceparent.newRoot(), m.id, new CommandResult(cycle.commandId(), m.id, "power-cycle", null, "ok", 1, "on", 900)));
            AgentTask write = (AgentTask) tasks.await(e -> m.mac.equals(e.key()), WAIT).data();
            assertThat(write.kind()).as("the early report counted: no 10-minute wait for one already sent").isEqualTo("write-image");
            awaitStage(runId, "write-image");
        }
    }

    String lastBoot(String machineId) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("SELECT coalesce(last_boot_id, '') FROM machine WHERE id = ?::uuid")) {
            q.setString(1, machineId);
            try (var rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    @Test
    void aDiscoveredMachineGetsTheInventoryBuiltInWhichBootsTheRamOsAndEachBuiltInStartsOnlyFromItsStates() throws Exception {
        Site s = site();
        Machine installed = s.machine("bios", true, "provisioned");
        String image = s.image(true, "both");
        Machine fresh;
        try (EventProbe bmc = probe(Topics.BMC_COMMANDS); EventProbe facts = probe(Topics.RUN_FACTS)) {
            // inventory-on-discovery: the registration of a discovered machine starts its inventory run, once.
            fresh = s.machine("bios", true, "discovered");
            String[] found = new String[1];
            String freshId = fresh.id;
            Awaitility.await().atMost(WAIT).until(() -> {
                // A 404 until the view has the machine; then its run, once discovery started it.
                List<String> ids = given().get("/api/v1/runs?machine=" + freshId).jsonPath().getList("runs.id");
                found[0] = ids == null || ids.isEmpty() ? null : ids.get(0);
                return found[0] != null;
            });
            String runId = found[0];
            given().get("/api/v1/runs/" + runId).then().body("run.workflow", equalTo("inventory@1"))
                    .body("history[0].detail", containsString("by discovery"));
            post(Map.of("machines", List.of(fresh.id), "workflow", "inventory")).then().statusCode(409);
            bmc.await(e -> fresh.id.equals(e.key()), WAIT);
            BmcCommand cycle = (BmcCommand) bmc.await(e -> fresh.id.equals(e.key()), WAIT).data();
            assertThat(cycle.action()).isEqualTo("power-cycle");
            send(EventTypes.BMC_COMMAND_COMPLETED, fresh.id, s.site, new CommandResult(cycle.commandId(), fresh.id, "power-cycle", null, "ok", 1, "on", 900));
            awaitStage(runId, "await-agent");
            send(EventTypes.AGENT_INVENTORY_REPORTED, fresh.mac, s.site, inventory(fresh.mac, "boot-inv"));
            Awaitility.await().atMost(WAIT).until(() -> status(runId).equals("succeeded"));
            LifecycleChanged done = (LifecycleChanged) facts.await(e -> e.type() == EventTypes.MACHINE_LIFECYCLE_CHANGED && fresh.id.equals(e.key())
                    && "inventoried".equals(((LifecycleChanged) e.data()).to()), WAIT).data();
            assertThat(done.from()).isEqualTo("discovered");
            given().get("/api/v1/runs/" + runId).then().body("history.findAll { it.what == 'entered' }.stage", org.hamcrest.Matchers.contains(
                    "power-on", "await-agent"));
        }
        // A provisioned machine is not inventoried (its service would stop), and only it is reinstalled.
        Awaitility.await().atMost(WAIT).until(() -> post(Map.of("machines", List.of(installed.id), "workflow", "inventory")).statusCode() == 409);
        post(Map.of("machines", List.of(installed.id), "workflow", "inventory")).then().statusCode(409)
                .body("detail", containsString("is provisioned: inventory@1 starts from discovered, failed, inventoried, ready only"));
        post(Map.of("machines", List.of(fresh.id), "workflow", "reinstall", "image", image)).then().statusCode(409)
                .body("detail", containsString("reinstall@1 starts from provisioned only"));
        post(Map.of("machines", List.of(installed.id), "workflow", "reinstall", "image", image)).then().statusCode(202)
                .body("runs[0].workflow", equalTo("reinstall@1"));
    }

    @Test
    void onlyOneRelaySendsTheOutboxAtATimeAcrossInstances() throws Exception {
        Site s = site();
        Machine m = s.machine("bios", true);
        String image = s.image(true, "both");
        try (EventProbe bmc = probe(Topics.BMC_COMMANDS); Connection other = db.getConnection()) {
            // Another instance's relay holds the lock (its round's transaction).
            other.setAutoCommit(false);
            try (PreparedStatement q = other.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('orchestrator-outbox'))")) {
                q.execute();
            }
            startWhenViewsHaveCaughtUp(Map.of("machines", List.of(m.id), "image", image));
            assertThat(timer.relay()).as("this relay waits its turn").isZero();
            assertThat(bmc.awaitNone(e -> m.id.equals(e.key()), Duration.ofSeconds(2))).isTrue();
            other.rollback();   // that instance's round ended (or it died): this one sends, in order
            BmcCommand boot = (BmcCommand) bmc.await(e -> m.id.equals(e.key()), WAIT).data();
            BmcCommand cycle = (BmcCommand) bmc.await(e -> m.id.equals(e.key()), WAIT).data();
            assertThat(List.of(boot.action(), cycle.action())).containsExactly("set-boot-device", "power-cycle");
        }
    }

    @Test
    void deadlinesFireFromTheTableRetryAndFinallyFail() throws Exception {
        Site s = site();
        Machine m = s.machine("bios", true);
        String image = s.image(true, "both");
        String runId = startWhenViewsHaveCaughtUp(Map.of("machines", List.of(m.id), "image", image)).get(0);
        try (EventProbe bmc = probe(Topics.BMC_COMMANDS); EventProbe facts = probe(Topics.RUN_FACTS)) {
            bmc.await(e -> m.id.equals(e.key()), WAIT);
            bmc.await(e -> m.id.equals(e.key()), WAIT);
            for (int attempt = 2; attempt <= 3; attempt++) {
                expire(runId);   // no confirmation of the power cycle in time: retried after a backoff, then sent again
                final int tryNo = attempt;
                Awaitility.await().atMost(WAIT).until(() -> given().get("/api/v1/runs/" + runId).jsonPath().getInt("run.stageTry") == tryNo);
                expire(runId);
                bmc.await(e -> m.id.equals(e.key()) && ((BmcCommand) e.data()).action().equals("set-boot-device"), WAIT);
                bmc.await(e -> m.id.equals(e.key()) && ((BmcCommand) e.data()).action().equals("power-cycle"), WAIT);
            }
            expire(runId);
            Awaitility.await().atMost(WAIT).until(() -> status(runId).equals("failed"));
            given().get("/api/v1/runs/" + runId).then().body("run.error", containsString("no answer within"))
                    .body("run.error", containsString("3 tries"));
            assertThat(((LifecycleChanged) facts.await(e -> e.type() == EventTypes.MACHINE_LIFECYCLE_CHANGED && m.id.equals(e.key())
                    && ((LifecycleChanged) e.data()).to().equals("failed"), WAIT).data()).runId()).isEqualTo(runId);
        }
    }

    @Test
    void aHardwareErrorPutsTheMachineInMaintenanceWhereNoRunStarts() throws Exception {
        Site s = site();
        Machine m = s.machine("bios", false);   // no BMC: power-on is passed, an operator powers it on
        String image = s.image(true, "both");
        try (EventProbe tasks = probe(Topics.AGENT_TASKS)) {
            String runId = startWhenViewsHaveCaughtUp(Map.of("machines", List.of(m.id), "image", image)).get(0);
            awaitStage(runId, "await-agent");
            send(EventTypes.AGENT_INVENTORY_REPORTED, m.mac, s.site, inventory(m.mac, "b1"));
            AgentTask write = (AgentTask) tasks.await(e -> m.mac.equals(e.key()), WAIT).data();
            send(EventTypes.AGENT_TASK_FAILED, m.mac, s.site, new TaskResult(m.mac, write.id(), "write-image",
                    "no disk matches the hints and holds 67108864 bytes; disks: vda:1048576", Map.of()));
            Awaitility.await().atMost(WAIT).until(() -> status(runId).equals("failed"));
            Awaitility.await().atMost(WAIT).until(() -> post(Map.of("machines", List.of(m.id), "image", image)).statusCode() == 409);
            post(Map.of("machines", List.of(m.id), "image", image)).then().body("detail", containsString("maintenance"));
            given().post("/api/v1/runs/" + runId + "/retry?stage=write-image").then().statusCode(409).body("detail", containsString("maintenance"));

            // The disk replaced, the operator takes it out of maintenance and retries the run from the write.
            given().contentType(ContentType.JSON).body(Map.of("on", false, "by", "ops")).put("/api/v1/machines/" + m.mac + "/maintenance")
                    .then().statusCode(200).body("lifecycle", equalTo("ready"));
            given().post("/api/v1/runs/" + runId + "/retry?stage=dance").then().statusCode(400);
            given().post("/api/v1/runs/" + runId + "/retry?stage=write-image&by=ops").then().statusCode(200)
                    .body("status", equalTo("running")).body("stage", equalTo("write-image")).body("attempt", equalTo(2));
            AgentTask again = (AgentTask) tasks.await(e -> m.mac.equals(e.key()) && ((AgentTask) e.data()).kind().equals("write-image"), WAIT).data();
            assertThat(again.id()).isNotEqualTo(write.id());
            given().post("/api/v1/runs/" + runId + "/retry").then().statusCode(409);
            // Maintenance is refused while a run is in progress: cancel it first.
            given().contentType(ContentType.JSON).body(Map.of("on", true, "reason", "fan")).put("/api/v1/machines/" + m.id + "/maintenance")
                    .then().statusCode(409).body("detail", containsString(runId));
            given().post("/api/v1/runs/" + runId + "/cancel").then().statusCode(200);
            given().contentType(ContentType.JSON).body(Map.of("on", true, "reason", "fan")).put("/api/v1/machines/" + m.id + "/maintenance")
                    .then().statusCode(200).body("lifecycle", equalTo("maintenance"));
            given().contentType(ContentType.JSON).body(Map.of()).put("/api/v1/machines/" + m.id + "/maintenance").then().statusCode(400);
        }
    }

    @Test
    void deprovisionWipesAndPowersOffAndLeavesTheMachineReady() throws Exception {
        Site s = site();
        Machine m = s.machine("uefi", true);
        post(Map.of("machines", List.of(m.id), "workflow", "deprovision", "image", "x:1")).then().statusCode(400);
        try (EventProbe bmc = probe(Topics.BMC_COMMANDS); EventProbe tasks = probe(Topics.AGENT_TASKS); EventProbe facts = probe(Topics.RUN_FACTS)) {
            String runId = startWhenViewsHaveCaughtUp(Map.of("machines", List.of(m.id), "workflow", "deprovision")).get(0);
            BmcCommand boot = (BmcCommand) bmc.await(e -> m.id.equals(e.key()), WAIT).data();
            assertThat(boot.efi()).as("a UEFI machine's next boot is EFI PXE").isTrue();
            BmcCommand cycle = (BmcCommand) bmc.await(e -> m.id.equals(e.key()), WAIT).data();
            assertThat(((LifecycleChanged) facts.await(e -> e.type() == EventTypes.MACHINE_LIFECYCLE_CHANGED && m.id.equals(e.key()), WAIT)
                    .data()).to()).isEqualTo("deprovisioning");
            AgentTask wipe = ramOsUp(s, m, runId, cycle, tasks);
            assertThat(wipe.kind()).isEqualTo("wipe");
            send(EventTypes.AGENT_TASK_COMPLETED, m.mac, s.site, new TaskResult(m.mac, wipe.id(), "wipe", "wiped (metadata): vda", Map.of()));
            poweredOffAndReady(s, m, runId, bmc, facts);
            given().get("/api/v1/runs/" + runId).then().body("run.workflow", equalTo("deprovision@1")).body("run.image", org.hamcrest.Matchers.nullValue());
        }
    }

    @Test
    void aStoredWorkflowIsVersionedRunsAsWrittenAndARunKeepsItsVersion() throws Exception {
        String source = java.nio.file.Files.readString(java.nio.file.Path.of("examples/workflows/wipe-zero.yaml"))
                .replace("name: wipe-zero", "name: wz-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL));
        String name = source.lines().filter(l -> l.startsWith("name: ")).findFirst().orElseThrow().substring(6);
        given().contentType("application/yaml").body(yaml(source)).post("/api/v1/workflows?by=test").then().statusCode(201)
                .header("Location", containsString("/api/v1/workflows/" + name + "?version=1")).body("ref", equalTo(name + "@1"))
                .body("stages[2].completesOn", equalTo("agent.task.completed")).body("stages[2].params.mode", equalTo("zero"));
        given().contentType("application/yaml").body(yaml(source)).post("/api/v1/workflows").then().statusCode(200).body("version", equalTo(1));
        String v2 = source.replace("PT6H", "PT8H");
        given().contentType("application/yaml").body(yaml(v2)).post("/api/v1/workflows").then().statusCode(201).body("version", equalTo(2));
        given().get("/api/v1/workflows/" + name).then().statusCode(200).body("version", equalTo(2)).body("source", equalTo(v2));
        given().get("/api/v1/workflows/" + name + "?version=1").then().statusCode(200).body("source", equalTo(source));
        given().get("/api/v1/workflows/" + name + "/versions").then().statusCode(200).body("versions.version", org.hamcrest.Matchers.contains(2, 1));
        given().get("/api/v1/workflows").then().statusCode(200).body("workflows.ref", org.hamcrest.Matchers.hasItems("provision@1",
                "deprovision@1", name + "@2")).body("workflows.find { it.name == 'provision' }.builtIn", equalTo(true));
        // The built-ins are stored documents too: readable, versioned, and not replaceable by an upload.
        String provision = given().get("/api/v1/workflows/provision").then().statusCode(200).body("version", equalTo(1))
                .body("createdBy", equalTo("orchestrator (built-in)")).body("stages.name", org.hamcrest.Matchers.contains("power-on",
                        "await-agent", "write-image", "configure", "hand-off", "await-first-boot"))
                .body("stages[4].choose.task", org.hamcrest.Matchers.contains(null, "reboot", "kexec"))
                .extract().path("source");
        assertThat(provision).isEqualTo(io.pxewings.orchestrator.definitions.BuiltInWorkflows.source("provision"));
        given().get("/api/v1/workflows/deprovision/versions").then().statusCode(200).body("versions.ref", org.hamcrest.Matchers.contains("deprovision@1"));
        given().contentType("application/yaml").body(yaml(provision.replace("task: kexec", "task: reboot"))).post("/api/v1/workflows")
                .then().statusCode(400).body("errors", org.hamcrest.Matchers.hasItem("name: 'provision' is a built-in workflow's; choose another"));
        // Bad documents: every problem, problem+json, nothing stored.
        given().contentType("application/yaml").body(yaml(source.replace("task: wipe", "task: format").replace("done: ready", "done: gone")))
                .post("/api/v1/workflows").then().statusCode(400).contentType("application/problem+json")
                .body("errors", org.hamcrest.Matchers.hasItems("lifecycle.done: 'gone' is none of [inventoried, ready, provisioned]",
                        "stages[2].task: 'format' is none of [configure, kexec, poweroff, reboot, wipe, write-image]"));
        given().contentType("application/yaml").body(yaml(source.replace("name: " + name, "name: provision"))).post("/api/v1/workflows").then()
                .statusCode(400).body("errors[0]", containsString("built-in"));
        given().get("/api/v1/workflows/" + name + "/versions").then().body("versions", org.hamcrest.Matchers.hasSize(2));

        Site s = site();
        Machine bare = s.machine("bios", false);
        Machine m = s.machine("bios", true);
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> post(Map.of("machines", List.of(bare.id), "workflow",
                name)).statusCode() == 422);
        post(Map.of("machines", List.of(bare.id), "workflow", name)).then().body("detail", containsString("has no BMC"));
        post(Map.of("machines", List.of(m.id), "workflow", name + "@9")).then().statusCode(404);
        try (EventProbe bmc = probe(Topics.BMC_COMMANDS); EventProbe tasks = probe(Topics.AGENT_TASKS); EventProbe facts = probe(Topics.RUN_FACTS)) {
            String runId = startWhenViewsHaveCaughtUp(Map.of("machines", List.of(m.id), "workflow", name + "@1")).get(0);
            // A new version while the run is in flight changes nothing for it.
            given().contentType("application/yaml").body(yaml(source.replace("mode: zero", "mode: discard"))).post("/api/v1/workflows").then()
                    .statusCode(201).body("version", equalTo(3));
            given().get("/api/v1/runs/" + runId).then().body("run.workflow", equalTo(name + "@1"));
            bmc.await(e -> m.id.equals(e.key()), WAIT);
            BmcCommand cycle = (BmcCommand) bmc.await(e -> m.id.equals(e.key()), WAIT).data();
            assertThat(((LifecycleChanged) facts.await(e -> e.type() == EventTypes.MACHINE_LIFECYCLE_CHANGED && m.id.equals(e.key()), WAIT)
                    .data()).to()).isEqualTo("deprovisioning");
            AgentTask wipe = ramOsUp(s, m, runId, cycle, tasks);
            assertThat(List.of(wipe.kind(), wipe.params())).containsExactly("wipe", Map.of("mode", "zero"));
            send(EventTypes.AGENT_TASK_COMPLETED, m.mac, s.site, new TaskResult(m.mac, wipe.id(), "wipe", "wiped (zero): vda", Map.of()));
            poweredOffAndReady(s, m, runId, bmc, facts);
            // The second run names the workflow without a version: the newest.
            String second = startWhenViewsHaveCaughtUp(Map.of("machines", List.of(m.id), "workflow", name)).get(0);
            given().get("/api/v1/runs/" + second).then().body("run.workflow", equalTo(name + "@3"));
            given().post("/api/v1/runs/" + second + "/cancel").then().statusCode(200);
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    record Machine(String id, String mac) {
    }

    final class Site {
        final String site;
        final String imageUrl = "http://10.9." + ThreadLocalRandom.current().nextInt(250) + ".1:8085";

        Site() {
            this("run" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL));
        }

        /** A site with a name of the test profile's (caps.sites."NAME" config). */
        Site(String name) {
            site = name;
            send(EventTypes.SERVICE_STARTED, "image-service/" + site, site, new ServiceStarted("image-service", "edge-1", site, "test",
                    "edge-1", 1, imageUrl, Instant.now()));
        }

        Machine machine(String firmware, boolean bmc) {
            return machine(firmware, bmc, "inventoried");
        }

        Machine machine(String firmware, boolean bmc, String state) {
            String id = UUID.randomUUID().toString();
            long n = ThreadLocalRandom.current().nextLong(1L << 40);
            String mac = String.format("52:54:%02x:%02x:%02x:%02x", (n >> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255);
            MachineSnapshot snap = new MachineSnapshot(id, site, null, state, null, null, null, null, null, null, firmware, null, null,
                    null, null, null, Map.of("rack", "r1"), List.of(new MachineSnapshot.MachineNic(mac, "eth0", null, true, true, null)), List.of(),
                    bmc ? new MachineSnapshot.BmcEndpoint("10.0.0.5", "ipmi", "vault:bmc/" + id) : null, 1, Instant.now(), Instant.now());
            send(EventTypes.MACHINE_REGISTERED, id, site, new MachineRegistered(snap, "test"));
            return new Machine(id, mac);
        }

        String image(boolean deployable, String firmware) {
            String name = "img-" + site;
            String version = "1." + ThreadLocalRandom.current().nextInt(1_000_000);
            ImageSnapshot img = new ImageSnapshot(UUID.randomUUID().toString(), name, version, "test", "x86_64", firmware, "raw.zst", 1000,
                    "a".repeat(64), 64L << 20, "b".repeat(64), Map.of(), deployable ? "sig" : null, deployable ? "key" : null,
                    Map.of("root", "3", "kernel", "/boot/vmlinuz-6.1", "initrd", "/boot/initrd.img-6.1", "cmdline", "root=LABEL=r ro"),
                    deployable ? "published" : "unverified", deployable, Instant.now(), Instant.now(), null, null);
            send(EventTypes.IMAGE_PUBLISHED, name, "central", new ImageChanged(img, null, "test"));
            return name + ":" + version;
        }
    }

    Site site() {
        return new Site();
    }

    static <T extends Record> WingsEvent<T> send(EventType<T> type, String key, String site, T data) {
        WingsEvent<T> e = new WingsEvent<>(UUID.randomUUID().toString(), type, "/wings/" + site + "/test/1", key, site, Instant.now(),
                Traceparent.newRoot(), key, data);
        injector.send(e);
        return e;
    }

    /** Confirms the run's power cycle, has the new boot's RAM-OS agent report, and returns the task the run then gives it. */
    static AgentTask ramOsUp(Site s, Machine m, String runId, BmcCommand cycle, EventProbe tasks) {
        send(EventTypes.BMC_COMMAND_COMPLETED, m.id, s.site, new CommandResult(cycle.commandId(), m.id, "power-cycle", null, "ok", 1, "on", 9));
        awaitStage(runId, "await-agent");
        send(EventTypes.AGENT_INVENTORY_REPORTED, m.mac, s.site, inventory(m.mac, "b1"));
        return (AgentTask) tasks.await(e -> m.mac.equals(e.key()), WAIT).data();
    }

    /** The run's power-off, confirmed: the run succeeds and the machine is ready. */
    static void poweredOffAndReady(Site s, Machine m, String runId, EventProbe bmc, EventProbe facts) {
        BmcCommand off = (BmcCommand) bmc.await(e -> m.id.equals(e.key()), WAIT).data();
        assertThat(off.action()).isEqualTo("power-off");
        send(EventTypes.BMC_COMMAND_COMPLETED, m.id, s.site, new CommandResult(off.commandId(), m.id, "power-off", null, "ok", 1, "off", 9));
        Awaitility.await().atMost(WAIT).until(() -> status(runId).equals("succeeded"));
        assertThat(((LifecycleChanged) facts.await(e -> e.type() == EventTypes.MACHINE_LIFECYCLE_CHANGED && m.id.equals(e.key()), WAIT)
                .data()).to()).isEqualTo("ready");
    }

    @Test
    void aRecordThatIsNoEventIsDeadLetteredAndTheFactsAfterItAreForwardedByMachineId() throws Exception {
        String poisonKey = "52:54:00:de:ad:01";
        Site s = site();
        Machine m = s.machine("bios", true);
        Awaitility.await().atMost(WAIT).until(() -> {
            try (var c = db.getConnection(); var q = c.prepareStatement("SELECT 1 FROM machine WHERE id = ?::uuid")) {
                q.setString(1, m.id);
                return q.executeQuery().next();   // the view has the machine: the router can find its id by MAC
            }
        });
        try (EventProbe deadLetters = probe(Topics.DEAD_LETTER); EventProbe inputs = probe(Topics.ORCHESTRATOR_INPUTS)) {
            injector.sendRaw(Topics.AGENT_FACTS.name(), poisonKey, List.of(new EventHeader("ce_specversion", "1.0"),
                    new EventHeader("ce_type", EventTypes.AGENT_INVENTORY_REPORTED.type())), "{broken".getBytes(StandardCharsets.UTF_8));
            WingsEvent<?> fact = send(EventTypes.AGENT_INVENTORY_REPORTED, m.mac, s.site, inventory(m.mac, "boot-dlq"));

            var dead = deadLetters.awaitRecord(r -> poisonKey.equals(r.key()), WAIT);
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{broken");
            assertThat(new String(dead.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8)).isEqualTo(Topics.AGENT_FACTS.name());
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)).startsWith("not an event");
            // The agent's fact, keyed by MAC, goes on keyed by the machine's id (its owner's partition), the MAC kept in a header.
            var forwarded = inputs.awaitRecord(r -> r.headers().lastHeader("ce_id") != null
                    && fact.id().equals(new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8)), WAIT);
            assertThat(forwarded.key()).isEqualTo(m.id);
            assertThat(new String(forwarded.headers().lastHeader(FactRouter.ORIGIN_KEY).value(), StandardCharsets.UTF_8)).isEqualTo(m.mac);
        }
    }

    static InventoryReported inventory(String mac, String bootId) {
        return new InventoryReported(mac, "bios", null, null, null, null, null, null, null, null, null, 1L << 30, List.of(), List.of(),
                "test", bootId);
    }

    static EventProbe probe(io.pxewings.events.catalog.TopicSpec topic) {
        return new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), topic.name());
    }

    static byte[] yaml(String source) {
        return source.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static Response post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/runs");
    }

    /** Posts until the orchestrator's views have the injected machines and image (a 404 or 422 before changes nothing). */
    static List<String> startWhenViewsHaveCaughtUp(Map<String, Object> body) {
        Response[] last = new Response[1];
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = post(body);
            return last[0].statusCode() == 202;
        });
        return last[0].jsonPath().getList("runs.id");
    }

    static String status(String runId) {
        return given().get("/api/v1/runs/" + runId).jsonPath().getString("run.status");
    }

    static void awaitStage(String runId, String stage) {
        Awaitility.await().atMost(WAIT).until(() -> stage.equals(given().get("/api/v1/runs/" + runId).jsonPath().getString("run.stage")));
    }

    /** The run's deadline, now: what the clock would do after the stage's timeout, without the wait. */
    void expire(String runId) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(
                "UPDATE run SET deadline = now() - interval '1 second' WHERE id = ?::uuid AND status = 'running'")) {
            q.setString(1, runId);
            q.executeUpdate();
        }
        timer.tick();
    }
}
