package io.pxewings.bmc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.bmc.sim.IpmiSimulator;
import io.pxewings.bmc.sim.RedfishServer;
import io.pxewings.bmc.vault.MasterKeys;
import io.pxewings.bmc.vault.Vault;
import io.pxewings.events.EventSources;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.bmc.BmcCommand;
import io.pxewings.events.bmc.CommandResult;
import io.pxewings.events.bmc.Reachability;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.machine.MachineRegistered;
import io.pxewings.events.machine.MachineSnapshot;
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
 * bmc-service as a whole on the real broker and database: machine facts give it endpoints, the
 * vault gives it credentials, commands (from the API or the topic) reach IPMI (the project's
 * simulator, suite 17) and Redfish (the test server over the DMTF mockup) BMCs through the gate,
 * and each ends in one confirmed result fact.
 */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "bmc"))
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class BmcServiceTest {

    static final String SECRET = "s3cret-Pa55-" + UUID.randomUUID().toString().substring(0, 8);
    static IpmiSimulator sim;
    static RedfishServer redfish;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    Vault vault;

    @BeforeAll
    static void peers() throws Exception {
        sim = new IpmiSimulator().start();
        redfish = new RedfishServer(RedfishServer.MOCKUP, "root", SECRET).start();
    }

    @AfterAll
    static void stopPeers() throws Exception {
        sim.close();
        redfish.close();
    }

    /** Registers a machine with a BMC, as inventory-service's fact would, and waits until bmc-service knows it. */
    String machine(String address, String protocol, String ref) {
        String id = UUID.randomUUID().toString();
        MachineSnapshot m = new MachineSnapshot(id, "test", null, "inventoried", null, null, null, null, null, null, null, null, null,
                null, null, null, Map.of(), List.of(), List.of(), new MachineSnapshot.BmcEndpoint(address, protocol, ref), 1,
                Instant.now(), Instant.now());
        try (EventInjector injector = new EventInjector(bootstrap)) {
            injector.send(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.MACHINE_REGISTERED,
                    EventSources.of("test", "inventory-service", "test"), id, "test", Instant.now(), Traceparent.newRoot(), id,
                    new MachineRegistered(m, "created")));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/v1/machines/" + id + "/power").statusCode() == 200);
        return id;
    }

    String credentials(String ref, String user, String password) {
        Response r = given().contentType(ContentType.JSON).body(Map.of("username", user, "password", password))
                .put("/api/v1/credentials/" + ref);
        assertThat(r.statusCode()).isIn(201, 204);
        assertThat(r.asString()).doesNotContain(password);
        return ref;
    }

    @Test
    void powerOnFromTheApiIsCarriedOutOverIpmiSuite17AndConfirmed() throws Exception {
        IpmiSimulator.Bmc bmc = sim.add("admin", SECRET, Set.of(17, 3));
        String id = machine("127.0.0.1:" + bmc.address().getPort(), "ipmi", credentials("vault:test/ipmi-1", "admin", SECRET));
        try (EventProbe facts = new EventProbe(bootstrap, Topics.BMC_FACTS.name())) {
            Response r = given().contentType(ContentType.JSON).body(Map.of("action", "on")).post("/api/v1/machines/" + id + "/power?wait=30");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            assertThat(r.jsonPath().getString("state")).isEqualTo("completed");
            assertThat(r.jsonPath().getString("powerState")).isEqualTo("on");
            assertThat(bmc.powerOn()).isTrue();
            String commandId = r.jsonPath().getString("commandId");
            WingsEvent<?> done = facts.await(e -> e.type() == EventTypes.BMC_COMMAND_COMPLETED && e.subject().equals(id), Duration.ofSeconds(20));
            assertThat(((CommandResult) done.data()).commandId()).isEqualTo(commandId);
            facts.await(e -> e.type() == EventTypes.BMC_POWER_CHANGED && e.subject().equals(id), Duration.ofSeconds(20));
        }
        given().contentType(ContentType.JSON).body(Map.of("device", "pxe", "efi", true)).put("/api/v1/machines/" + id + "/boot-device?wait=30")
                .then().statusCode(200);
        assertThat(bmc.bootFlags().device().name()).isEqualTo("PXE");
        assertThat(given().get("/api/v1/machines/" + id + "/power?live=true").jsonPath().getString("state")).isEqualTo("on");
        assertThat(given().get("/api/v1/machines/" + id + "/bmc?health=true").asString()).contains("suite 17").doesNotContain(SECRET);
    }

    @Test
    void aCommandDeliveredTwiceIsCarriedOutOnce() throws Exception {
        IpmiSimulator.Bmc bmc = sim.add("admin", SECRET, Set.of(17));
        String id = machine("127.0.0.1:" + bmc.address().getPort(), "ipmi", credentials("vault:test/ipmi-2", "admin", SECRET));
        BmcCommand cycle = new BmcCommand(UUID.randomUUID().toString(), id, "power-cycle", null, null, null, null, "test");
        try (EventInjector injector = new EventInjector(bootstrap); EventProbe facts = new EventProbe(bootstrap, Topics.BMC_FACTS.name())) {
            for (int i = 0; i < 2; i++) {
                injector.send(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.BMC_COMMAND_REQUESTED,
                        EventSources.of("test", "orchestrator", "test"), id, "test", Instant.now(), Traceparent.newRoot(), id, cycle));
            }
            java.util.function.Predicate<WingsEvent<?>> result = e -> e.type().type().startsWith("io.pxewings.bmc.command.")
                    && e.data() instanceof CommandResult c && c.commandId().equals(cycle.commandId());
            WingsEvent<?> first = facts.await(result, Duration.ofSeconds(20));
            assertThat(first.type()).isEqualTo(EventTypes.BMC_COMMAND_COMPLETED);
            assertThat(facts.awaitNone(e -> result.test(e) && !e.id().equals(first.id()), Duration.ofSeconds(3)))
                    .as("one result for two deliveries").isTrue();
        }
        assertThat(bmc.controls()).as("cycled once for two deliveries").containsExactly("cycle");
        given().get("/api/v1/commands/" + cycle.commandId()).then().statusCode(200);
    }

    /**
     * A command that reaches bmc-service after its deadline (it waited in a producer while Kafka was
     * away, and the API told its caller it was not taken) is failed as expired and never reaches
     * the BMC; the same command without a deadline, as the orchestrator sends them, runs.
     */
    @Test
    void aCommandPastItsDeadlineIsFailedAsExpiredAndNeverRun() throws Exception {
        IpmiSimulator.Bmc bmc = sim.add("admin", SECRET, Set.of(17));
        String id = machine("127.0.0.1:" + bmc.address().getPort(), "ipmi", credentials("vault:test/ipmi-expired", "admin", SECRET));
        BmcCommand late = new BmcCommand(UUID.randomUUID().toString(), id, "power-cycle", null, null, null, null, "test",
                Instant.now().minusSeconds(5));
        BmcCommand due = new BmcCommand(UUID.randomUUID().toString(), id, "power-on", null, null, null, null, "test");
        try (EventInjector injector = new EventInjector(bootstrap); EventProbe facts = new EventProbe(bootstrap, Topics.BMC_FACTS.name())) {
            for (BmcCommand c : List.of(late, due)) {
                injector.send(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.BMC_COMMAND_REQUESTED,
                        EventSources.of("test", "bmc-service", "test"), id, "test", Instant.now(), Traceparent.newRoot(), id, c));
            }
            WingsEvent<?> expired = facts.await(e -> e.data() instanceof CommandResult c && c.commandId().equals(late.commandId()),
                    Duration.ofSeconds(20));
            assertThat(expired.type()).isEqualTo(EventTypes.BMC_COMMAND_FAILED);
            assertThat(((CommandResult) expired.data()).reason()).isEqualTo("expired");
            assertThat(((CommandResult) expired.data()).message()).contains("not carried out");
            WingsEvent<?> ran = facts.await(e -> e.data() instanceof CommandResult c && c.commandId().equals(due.commandId()),
                    Duration.ofSeconds(20));
            assertThat(ran.type()).isEqualTo(EventTypes.BMC_COMMAND_COMPLETED);
        }
        assertThat(bmc.controls()).as("the BMC saw the power-on only").containsExactly("on");
        given().get("/api/v1/commands/" + late.commandId()).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("failed")).body("reason", org.hamcrest.Matchers.equalTo("expired"));
    }

    @Test
    void aBmcThatSaysYesAndDoesNothingIsAFailureNotASuccess() throws Exception {
        IpmiSimulator.Bmc bmc = sim.add("admin", SECRET, Set.of(17));
        bmc.ignorePowerOn(true);
        String id = machine("127.0.0.1:" + bmc.address().getPort(), "ipmi", credentials("vault:test/ipmi-3", "admin", SECRET));
        Response r = given().contentType(ContentType.JSON).body(Map.of("action", "on")).post("/api/v1/machines/" + id + "/power?wait=30");
        assertThat(r.jsonPath().getString("state")).isEqualTo("failed");
        assertThat(r.jsonPath().getString("reason")).isEqualTo("not-confirmed");
    }

    @Test
    void aBmcThatStopsAnsweringOpensItsBreakerAndClosesItWhenBack() throws Exception {
        IpmiSimulator.Bmc bmc = sim.add("admin", SECRET, Set.of(17));
        String id = machine("127.0.0.1:" + bmc.address().getPort(), "ipmi", credentials("vault:test/ipmi-4", "admin", SECRET));
        bmc.silent(true);
        try (EventProbe facts = new EventProbe(bootstrap, Topics.BMC_FACTS.name())) {
            Response r = given().contentType(ContentType.JSON).body(Map.of("action", "on")).post("/api/v1/machines/" + id + "/power?wait=40");
            assertThat(r.jsonPath().getString("reason")).isIn("unreachable", "breaker-open");
            WingsEvent<?> down = facts.await(e -> e.type() == EventTypes.BMC_UNREACHABLE && e.subject().equals(id), Duration.ofSeconds(20));
            assertThat(((Reachability) down.data()).breaker()).isEqualTo("open");
            assertThat(given().get("/api/v1/machines/" + id + "/power").jsonPath().getString("bmc.breaker")).isEqualTo("open");
            Response fast = given().contentType(ContentType.JSON).body(Map.of("action", "on")).post("/api/v1/machines/" + id + "/power?wait=10");
            assertThat(fast.jsonPath().getString("reason")).isEqualTo("breaker-open");
            long sent = bmc.requests();
            bmc.silent(false);
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                    given().contentType(ContentType.JSON).body(Map.of("action", "on")).post("/api/v1/machines/" + id + "/power?wait=10")
                            .jsonPath().getString("state").equals("completed"));
            facts.await(e -> e.type() == EventTypes.BMC_REACHABLE && e.subject().equals(id), Duration.ofSeconds(20));
            assertThat(bmc.requests()).isGreaterThan(sent);
        }
    }

    @Test
    void redfishPowerOffThroughTheSameCommandPath() {
        String id = machine(redfish.url(), "redfish", credentials("vault:test/redfish-1", "root", SECRET));
        Response r = given().contentType(ContentType.JSON).body(Map.of("action", "off")).post("/api/v1/machines/" + id + "/power?wait=30");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("state")).as(r.asString()).isEqualTo("completed");
        assertThat(redfish.powerState()).isEqualTo("Off");
        given().contentType(ContentType.JSON).body(Map.of("action", "insert", "url", "http://10.77.0.1:8080/files/x.iso"))
                .post("/api/v1/machines/" + id + "/virtual-media?wait=30").then().statusCode(200);
        assertThat(redfish.virtualMedia().path("Inserted").asBoolean()).isTrue();
    }

    @Test
    void badInputIsAProblemAndChangesNothing() throws Exception {
        String unknown = UUID.randomUUID().toString();
        given().contentType(ContentType.JSON).body(Map.of("action", "on")).post("/api/v1/machines/" + unknown + "/power")
                .then().statusCode(404).contentType("application/problem+json");
        IpmiSimulator.Bmc bmc = sim.add("admin", SECRET, Set.of(17));
        String id = machine("127.0.0.1:" + bmc.address().getPort(), "ipmi", credentials("vault:test/ipmi-5", "admin", SECRET));
        given().contentType(ContentType.JSON).body(Map.of("action", "explode")).post("/api/v1/machines/" + id + "/power")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"password\": \"" + SECRET + "\"").put("/api/v1/credentials/vault:x")
                .then().statusCode(400).body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(SECRET)));
        given().contentType(ContentType.JSON).body(Map.of("device", "floppy")).put("/api/v1/machines/" + id + "/boot-device")
                .then().statusCode(400);
        given().get("/api/v1/machines/not-a-uuid/power").then().statusCode(400);
        assertThat(bmc.controls()).isEmpty();
        // A BMC outside the site's networks (wings.bmc.allowed-networks) is never contacted.
        String outside = machine("192.0.2.10", "ipmi", credentials("vault:test/ipmi-6", "admin", SECRET));
        Response r = given().contentType(ContentType.JSON).body(Map.of("action", "on")).post("/api/v1/machines/" + outside + "/power?wait=20");
        assertThat(r.jsonPath().getString("reason")).isEqualTo("not-allowed");
    }

    @Test
    void credentialsAreWriteOnlyAndSurviveAMasterKeyRotation() {
        credentials("vault:test/rotate", "admin", SECRET);
        Response meta = given().get("/api/v1/credentials/vault:test/rotate");
        assertThat(meta.statusCode()).isEqualTo(200);
        assertThat(meta.asString()).contains("admin", "\"keyId\":\"test\"").doesNotContain(SECRET);
        MasterKeys old = vault.keys();
        try {
            vault.useKeys(MasterKeys.parse(List.of("k2:" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                    "test:dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE="), "test"));
            Response rotated = given().post("/api/v1/vault/rotate");
            assertThat(rotated.jsonPath().getInt("resealed")).isGreaterThanOrEqualTo(1);
            assertThat(rotated.jsonPath().getMap("credentialsByKey")).doesNotContainKey("test");
            vault.useKeys(MasterKeys.parse(List.of("k2:" + java.util.Base64.getEncoder().encodeToString(new byte[32])), "test"));
            assertThat(vault.get("vault:test/rotate").orElseThrow().passwordText()).as("opens with the new key alone").isEqualTo(SECRET);
        } finally {
            vault.useKeys(MasterKeys.parse(List.of("test:dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE=",
                    "k2:" + java.util.Base64.getEncoder().encodeToString(new byte[32])), "test"));
            vault.rotate();
            vault.useKeys(old);
        }
    }

    @Test
    void aRealBmcKilledDuringUseIsAFailureThenReachableAgain() throws Exception {
        // OpenIPMI's ipmi_sim (suite 3: bmc-service falls back from 17), killed and started again on its port.
        io.pxewings.bmc.ipmi.IpmiSimBmc real = new io.pxewings.bmc.ipmi.IpmiSimBmc(Path.of("target/wings-test/bmc-service-ipmi-sim"));
        try {
            real.start();
            String id = machine("127.0.0.1:" + real.port(), "ipmi", credentials("vault:test/ipmi-sim", io.pxewings.bmc.ipmi.IpmiSimBmc.USER,
                    io.pxewings.bmc.ipmi.IpmiSimBmc.PASSWORD));
            Response on = given().contentType(ContentType.JSON).body(Map.of("action", "on")).post("/api/v1/machines/" + id + "/power?wait=30");
            assertThat(on.jsonPath().getString("state")).as(on.asString()).isEqualTo("completed");
            assertThat(real.ipmitool("-C", "3", "chassis", "power", "status")).contains("Chassis Power is on");
            real.kill();
            try (EventProbe facts = new EventProbe(bootstrap, Topics.BMC_FACTS.name())) {
                Response off = given().contentType(ContentType.JSON).body(Map.of("action", "off")).post("/api/v1/machines/" + id + "/power?wait=40");
                assertThat(off.jsonPath().getString("state")).isEqualTo("failed");
                assertThat(off.jsonPath().getString("reason")).isIn("unreachable", "breaker-open");
                facts.await(e -> e.type() == EventTypes.BMC_UNREACHABLE && e.subject().equals(id), Duration.ofSeconds(20));
                real.start();
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        given().contentType(ContentType.JSON).body(Map.of("action", "off")).post("/api/v1/machines/" + id + "/power?wait=20")
                                .jsonPath().getString("state").equals("completed"));
                facts.await(e -> e.type() == EventTypes.BMC_REACHABLE && e.subject().equals(id), Duration.ofSeconds(20));
            }
            assertThat(real.power()).isEqualTo("0");
        } finally {
            real.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void theSecretAppearsInNoFactCommandMetricLogOrAnswer() throws Exception {
        for (String topic : List.of(Topics.BMC_FACTS.name(), Topics.BMC_COMMANDS.name(), Topics.DEAD_LETTER.name())) {
            StringBuilder all = new StringBuilder();
            try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(Map.of(
                    "bootstrap.servers", bootstrap, "group.id", "secret-scan-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                Instant end = Instant.now().plusSeconds(8);
                while (Instant.now().isBefore(end)) {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        all.append(r.key()).append(new String(r.value() == null ? new byte[0] : r.value()));
                        r.headers().forEach(h -> all.append(new String(h.value())));
                    }
                }
            }
            assertThat(all.toString()).as(topic).doesNotContain(SECRET);
        }
        assertThat(given().get("/q/metrics").asString()).doesNotContain(SECRET);
        assertThat(java.nio.file.Files.readString(Path.of("target/bmc-service-test.log"))).as("the service's log")
                .contains("power-on").doesNotContain(SECRET);
    }
}
