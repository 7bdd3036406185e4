package io.pxewings.inventory.discovery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.events.EventSources;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.dhcp.DiscoverSeen;
import io.pxewings.events.machine.HardwareChanged;
import io.pxewings.events.machine.MachineDeleted;
import io.pxewings.events.machine.MachineRegistered;
import io.pxewings.inventory.Machines;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventInjector;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.PrometheusText;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Discovery from facts other services publish, through the real broker into the real database:
 * idempotence, merging one machine's NICs, hardware changes, and poison records dead-lettered.
 */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class DiscoveryTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final long GIB = 1L << 30;
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
    void theSameDiscoverTwiceGivesOneMachineAndOneRegistration() {
        String site = Machines.site("disc");
        String mac = Machines.mac();
        String uuid = UUID.randomUUID().toString();
        WingsEvent<DiscoverSeen> seen = discover(site, mac, uuid);
        double unchanged = consumed("inventory-dhcp-facts", EventTypes.DHCP_DISCOVER_SEEN.type(), "unchanged");

        injector.send(seen);
        injector.send(seen);

        Awaitility.await().atMost(WAIT).until(() -> consumed("inventory-dhcp-facts",
                EventTypes.DHCP_DISCOVER_SEEN.type(), "unchanged") >= unchanged + 1);
        var machine = byMac(mac);
        assertThat((String) machine.get("state")).isEqualTo("discovered");
        assertThat((String) machine.get("site")).isEqualTo(site);
        assertThat((String) machine.get("systemUuid")).isEqualTo(uuid);
        assertThat((String) machine.get("architecture")).isEqualTo("X64_UEFI");
        assertThat((String) machine.get("firmware")).isEqualTo("uefi");
        assertThat(given().get("/api/v1/machines?site=" + site).then().extract().<List<String>>path("items.id")).hasSize(1);
        try (EventProbe facts = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.MACHINE_FACTS.name())) {
            WingsEvent<?> registered = facts.await(e -> e.type() == EventTypes.MACHINE_REGISTERED
                    && machine.get("id").equals(e.subject()), WAIT);
            MachineRegistered r = registered.dataAs(EventTypes.MACHINE_REGISTERED);
            assertThat(r.cause()).isEqualTo("discovery");
            assertThat(registered.traceparent().traceId()).as("the trace continues from the discover")
                    .isEqualTo(seen.traceparent().traceId());
        }
    }

    @Test
    void aSecondNicWithTheSameUuidJoinsTheMachine() {
        String site = Machines.site("nic2");
        String a = Machines.mac();
        String b = Machines.mac();
        String uuid = UUID.randomUUID().toString();
        injector.send(discover(site, a, uuid));
        String id = (String) byMac(a).get("id");
        injector.send(discover(site, b, uuid));
        Awaitility.await().atMost(WAIT).until(() -> given().get("/api/v1/machines/by-mac/" + b).statusCode() == 200);
        var machine = byMac(b);
        assertThat(machine.get("id")).isEqualTo(id);
        assertThat((List<?>) machine.get("nics")).hasSize(2);
    }

    @Test
    void anInventoryMergesTheRecordsOfOneMachineSeenOnDifferentNics() {
        String site = Machines.site("merge");
        String expectedMac = Machines.mac();
        String bootMac = Machines.mac();
        // The operator imported the machine by its first NIC; it PXE-boots from the second, and
        // its firmware sends no UUID, so DHCP alone makes a second record.
        String expected = Machines.create("""
                {"site":"%s","hostname":"db-07","labels":{"rack":"r7"},"bmc":{"address":"10.7.0.7"},
                 "nics":[{"mac":"%s","boot":true}]}""".formatted(site, expectedMac)).path("id");
        injector.send(discover(site, bootMac, null));
        String discovered = (String) byMac(bootMac).get("id");
        assertThat(discovered).isNotEqualTo(expected);

        injector.send(inventory(site, report(bootMac, UUID.randomUUID().toString(), "SN-" + bootMac, 2 * GIB,
                List.of(disk("vda", 2 * GIB, "disk-a")), List.of(nic("eth0", expectedMac), nic("eth1", bootMac)))));

        Awaitility.await().atMost(WAIT).until(() -> given().get("/api/v1/machines/" + discovered).statusCode() == 404);
        var machine = byMac(bootMac);
        assertThat(machine.get("id")).as("the older, imported record survives").isEqualTo(expected);
        assertThat((String) machine.get("hostname")).isEqualTo("db-07");
        assertThat((String) machine.get("state")).isEqualTo("inventoried");
        assertThat((List<?>) machine.get("nics")).hasSize(2);
        assertThat(((Number) machine.get("memoryBytes")).longValue()).isEqualTo(2 * GIB);
        assertThat(given().get("/api/v1/machines?site=" + site).then().extract().<List<String>>path("items.id"))
                .containsExactly(expected);
        try (EventProbe facts = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.MACHINE_FACTS.name())) {
            MachineDeleted d = facts.await(e -> e.type() == EventTypes.MACHINE_DELETED && discovered.equals(e.subject()), WAIT)
                    .dataAs(EventTypes.MACHINE_DELETED);
            assertThat(d.mergedInto()).isEqualTo(expected);
            assertThat(d.cause()).isEqualTo("merge");
            assertThat(d.macs()).containsExactly(bootMac);
        }
    }

    @Test
    void aDifferentLaterInventoryReportsTheHardwareChange() {
        String site = Machines.site("hw");
        String mac = Machines.mac();
        String uuid = UUID.randomUUID().toString();
        InventoryReported first = report(mac, uuid, "SN-" + mac, 2 * GIB, List.of(disk("vda", 2 * GIB, "d1")),
                List.of(nic("eth0", mac)));
        injector.send(inventory(site, first));
        String id = (String) byMac(mac).get("id");
        injector.send(inventory(site, first));
        InventoryReported second = report(mac, uuid, "SN-" + mac, 4 * GIB,
                List.of(disk("vda", 2 * GIB, "d1"), disk("vdb", 8 * GIB, "d2")), List.of(nic("eth0", mac)));
        injector.send(inventory(site, second));

        try (EventProbe facts = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.MACHINE_FACTS.name())) {
            HardwareChanged changed = facts.await(e -> e.type() == EventTypes.MACHINE_HARDWARE_CHANGED
                    && id.equals(e.subject()), WAIT).dataAs(EventTypes.MACHINE_HARDWARE_CHANGED);
            assertThat(changed.mac()).isEqualTo(mac);
            assertThat(changed.differences()).containsExactly(
                    new HardwareChanged.Difference("memoryBytes", Long.toString(2 * GIB), Long.toString(4 * GIB)),
                    new HardwareChanged.Difference("disks[vdb]", null, "QEMU HARDDISK " + 8 * GIB + " bytes serial d2"));
            // Only one change: the repeated first report changed nothing.
            assertThat(facts.awaitNone(e -> e.type() == EventTypes.MACHINE_HARDWARE_CHANGED && id.equals(e.subject()),
                    Duration.ofSeconds(2))).isTrue();
        }
        var machine = byMac(mac);
        assertThat((List<?>) machine.get("disks")).hasSize(2);
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndDiscoveryGoesOn() {
        String site = Machines.site("poison");
        String poisonKey = "poison-" + UUID.randomUUID();
        String badMac = "poison-mac-" + UUID.randomUUID();
        injector.sendRaw(Topics.DHCP_FACTS.name(), poisonKey, List.of(new EventHeader("ce_specversion", "1.0")),
                "{not an event".getBytes(StandardCharsets.UTF_8));
        WingsEvent<DiscoverSeen> invalid = new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.DHCP_DISCOVER_SEEN,
                EventSources.of(site, "dhcp-service", "t1"), badMac, site, Instant.now(), Traceparent.newRoot(), badMac,
                new DiscoverSeen(badMac, "X64_UEFI", 7, "UEFI", "", List.of(), null, null));
        injector.send(invalid);
        String mac = Machines.mac();
        injector.send(discover(site, mac, null));

        assertThat(byMac(mac).get("state")).isEqualTo("discovered");
        try (EventProbe dead = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.DEAD_LETTER.name())) {
            var record = dead.awaitRecord(r -> poisonKey.equals(r.key()), WAIT);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{not an event");
            assertThat(record.headers().lastHeader("dead-letter-reason")).isNotNull();
            dead.awaitRecord(r -> badMac.equals(r.key()), WAIT);
        }
    }

    @Test
    void theOrchestratorsLifecycleIsRecordedOnTheMachineOnce() {
        String site = Machines.site("life");
        String mac = Machines.mac();
        injector.send(inventory(site, report(mac, null, null, 4 * GIB, List.of(disk("vda", 2 * GIB, "d1")), List.of(nic("eth0", mac)))));
        String id = (String) byMac(mac).get("id");
        Awaitility.await().atMost(WAIT).until(() -> "inventoried".equals(byMac(mac).get("state")));
        WingsEvent<io.pxewings.events.run.LifecycleChanged> provisioning = lifecycle(site, id, "inventoried", "provisioning");
        double unchanged = consumed("inventory-run-facts", EventTypes.MACHINE_LIFECYCLE_CHANGED.type(), "unchanged");
        injector.send(provisioning);
        injector.send(provisioning);
        Awaitility.await().atMost(WAIT).until(() -> "provisioning".equals(byMac(mac).get("state")));
        // The repeated fact changed nothing: counted unchanged, no second update.
        Awaitility.await().atMost(WAIT).until(() -> consumed("inventory-run-facts", EventTypes.MACHINE_LIFECYCLE_CHANGED.type(),
                "unchanged") >= unchanged + 1);
        injector.send(lifecycle(site, id, "provisioning", "provisioned"));
        Awaitility.await().atMost(WAIT).until(() -> "provisioned".equals(byMac(mac).get("state")));
        // A new inventory of a provisioned machine keeps its state; a fact about an unknown machine is a no-op.
        injector.send(inventory(site, report(mac, null, null, 4 * GIB, List.of(disk("vda", 2 * GIB, "d1")), List.of(nic("eth0", mac)))));
        injector.send(lifecycle(site, UUID.randomUUID().toString(), null, "failed"));
        Awaitility.await().atMost(WAIT).until(() -> consumed("inventory-run-facts", EventTypes.MACHINE_LIFECYCLE_CHANGED.type(),
                "unknown-machine") >= 1);
        assertThat(byMac(mac).get("state")).isEqualTo("provisioned");
    }

    static WingsEvent<io.pxewings.events.run.LifecycleChanged> lifecycle(String site, String id, String from, String to) {
        return new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.MACHINE_LIFECYCLE_CHANGED,
                EventSources.of(site, "orchestrator", "t1"), id, site, Instant.now(), Traceparent.newRoot(), id,
                new io.pxewings.events.run.LifecycleChanged(id, from, to, UUID.randomUUID().toString(), "test"));
    }

    static WingsEvent<DiscoverSeen> discover(String site, String mac, String uuid) {
        return new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.DHCP_DISCOVER_SEEN,
                EventSources.of(site, "dhcp-service", "t1"), mac, site, Instant.now(), Traceparent.newRoot(), mac,
                new DiscoverSeen(mac, "X64_UEFI", 7, "UEFI", "PXEClient:Arch:00007:UNDI:003016", List.of(), uuid, null));
    }

    static WingsEvent<InventoryReported> inventory(String site, InventoryReported r) {
        return new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.AGENT_INVENTORY_REPORTED,
                EventSources.of(site, "http-boot-service", "t1"), r.mac(), site, Instant.now(), Traceparent.newRoot(),
                r.mac(), r);
    }

    static InventoryReported report(String mac, String uuid, String serial, long memory, List<InventoryReported.Disk> disks,
                                    List<InventoryReported.Nic> nics) {
        return new InventoryReported(mac, "uefi", uuid, serial, "QEMU", "Standard PC (Q35 + ICH9, 2009)", "", "QEMU Virtual CPU",
                1, 2, 2, memory, disks, nics, "test", null);
    }

    static InventoryReported.Disk disk(String name, long size, String serial) {
        return new InventoryReported.Disk(name, size, "QEMU HARDDISK", serial, true, null);
    }

    static InventoryReported.Nic nic(String name, String mac) {
        return new InventoryReported.Nic(name, mac, 1000, true);
    }

    /** The machine holding this MAC, once discovery has made it. */
    static Map<String, Object> byMac(String mac) {
        Awaitility.await().atMost(WAIT).until(() -> given().get("/api/v1/machines/by-mac/" + mac).statusCode() == 200);
        return given().get("/api/v1/machines/by-mac/" + mac).then().statusCode(200).extract().jsonPath().getMap("");
    }

    static double consumed(String consumer, String type, String outcome) {
        return PrometheusText.sum(given().get("/q/metrics").then().statusCode(200).extract().asString(),
                "wings_events_consumed_total", "consumer", consumer, "type", type, "outcome", outcome);
    }
}
