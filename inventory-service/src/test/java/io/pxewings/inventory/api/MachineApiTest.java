package io.pxewings.inventory.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.pxewings.common.problem.Problem;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.dhcp.Reservation;
import io.pxewings.events.machine.MachineDeleted;
import io.pxewings.events.machine.MachineRegistered;
import io.pxewings.events.machine.MachineUpdated;
import io.pxewings.inventory.Machines;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The machines API against the real PostgreSQL, with its facts read back from the real broker. */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class MachineApiTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void createReadAndTheFactsOnKafka() {
        String site = Machines.site("api");
        String mac = Machines.mac();
        var created = Machines.create("""
                {"site":"%s","hostname":"Node-1.Example.net.","labels":{"rack":"r12"},
                 "bmc":{"address":"10.9.0.5","protocol":"ipmi","credentialsRef":"vault:dc1/bmc/r12"},
                 "nics":[{"mac":"%s","boot":true,"address":"10.1.0.5"}]}""".formatted(site, mac.toUpperCase().replace(':', '-')));
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/api/v1/machines/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"" + created.path("version") + "\"");
        assertThat((String) created.path("hostname")).isEqualTo("node-1.example.net");
        assertThat((String) created.path("state")).isEqualTo("expected");
        assertThat((String) created.path("nics[0].mac")).isEqualTo(mac);

        given().get("/api/v1/machines/" + id).then().statusCode(200)
                .header("ETag", created.header("ETag"))
                .body("labels.rack", equalTo("r12"))
                .body("bmc.credentialsRef", equalTo("vault:dc1/bmc/r12"));
        given().header("If-None-Match", created.header("ETag")).get("/api/v1/machines/" + id).then().statusCode(304);
        given().get("/api/v1/machines/by-mac/" + mac.replace(":", "")
                .replaceAll("(....)(....)(....)", "$1.$2.$3")).then().statusCode(200)
                .header("Content-Location", org.hamcrest.Matchers.endsWith("/api/v1/machines/" + id)).body("id", equalTo(id));

        String bootstrap = EmbeddedInfra.shared().kafkaBootstrap();
        try (EventProbe facts = new EventProbe(bootstrap, Topics.MACHINE_FACTS.name());
             EventProbe reservations = new EventProbe(bootstrap, Topics.DHCP_RESERVATIONS.name())) {
            WingsEvent<?> registered = facts.await(e -> e.type() == EventTypes.MACHINE_REGISTERED && id.equals(e.subject()), WAIT);
            MachineRegistered r = registered.dataAs(EventTypes.MACHINE_REGISTERED);
            assertThat(r.cause()).isEqualTo("api");
            assertThat(r.machine().hostname()).isEqualTo("node-1.example.net");
            assertThat(r.machine().version()).isEqualTo(((Number) created.path("version")).longValue());
            assertThat(registered.site()).isEqualTo(site);
            assertThat(registered.key()).isEqualTo(id);

            WingsEvent<?> reserved = reservations.await(e -> e.type() == EventTypes.DHCP_RESERVATION_UPDATED
                    && mac.equals(e.subject()), WAIT);
            Reservation res = reserved.dataAs(EventTypes.DHCP_RESERVATION_UPDATED);
            assertThat(res.ip()).isEqualTo("10.1.0.5");
            assertThat(res.hostname()).isEqualTo("node-1.example.net");
            assertThat(res.machineId()).isEqualTo(id);
        }
    }

    @Test
    void mergePatchWithIfMatchChangesOnlyWhatItNames() {
        String site = Machines.site("patch");
        String mac = Machines.mac();
        var created = Machines.create("""
                {"site":"%s","hostname":"p1","labels":{"rack":"r1","burn-in":"yes"},
                 "nics":[{"mac":"%s","boot":true}]}""".formatted(site, mac));
        String id = created.path("id");
        String etag = created.header("ETag");

        var patched = given().contentType("application/merge-patch+json").header("If-Match", etag)
                .body("{\"labels\":{\"burn-in\":null,\"role\":\"compute\"},\"state\":\"ready\"}")
                .patch("/api/v1/machines/" + id).then().statusCode(200).extract();
        assertThat(patched.<Map<String, String>>path("labels")).containsExactlyInAnyOrderEntriesOf(Map.of("rack", "r1", "role", "compute"));
        assertThat((String) patched.path("hostname")).isEqualTo("p1");
        assertThat((String) patched.path("state")).isEqualTo("ready");
        assertThat(patched.header("ETag")).isNotEqualTo(etag);

        // The old ETag is now a lost update.
        given().contentType("application/merge-patch+json").header("If-Match", etag).body("{\"hostname\":\"p2\"}")
                .patch("/api/v1/machines/" + id).then().statusCode(412).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("If-Match"));
        given().get("/api/v1/machines/" + id).then().body("hostname", equalTo("p1"));

        try (EventProbe facts = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.MACHINE_FACTS.name())) {
            WingsEvent<?> updated = facts.await(e -> e.type() == EventTypes.MACHINE_UPDATED && id.equals(e.subject()), WAIT);
            MachineUpdated u = updated.dataAs(EventTypes.MACHINE_UPDATED);
            assertThat(u.changed()).containsExactly("state", "labels");
            assertThat(u.cause()).isEqualTo("api");
        }
    }

    @Test
    void twoConcurrentPatchesWithOneEtagGiveExactlyOne412() throws Exception {
        for (int round = 0; round < 5; round++) {
            var created = Machines.create("{\"site\":\"%s\",\"nics\":[{\"mac\":\"%s\"}]}".formatted(Machines.site("race"), Machines.mac()));
            String id = created.path("id");
            String etag = created.header("ETag");
            CyclicBarrier start = new CyclicBarrier(2);
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (String host : List.of("winner-a", "winner-b")) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return given().contentType("application/merge-patch+json").header("If-Match", etag)
                            .body("{\"hostname\":\"" + host + "\"}").patch("/api/v1/machines/" + id).statusCode();
                }));
            }
            List<Integer> codes = new ArrayList<>();
            for (var c : calls) {
                codes.add(c.get(30, TimeUnit.SECONDS));
            }
            assertThat(codes).as("round " + round).containsExactlyInAnyOrder(200, 412);
        }
    }

    @Test
    void putReplacesOperatorFieldsAndMovesTheReservation() {
        String site = Machines.site("put");
        String mac = Machines.mac();
        String second = Machines.mac();
        var created = Machines.create("""
                {"site":"%s","hostname":"r1","labels":{"a":"b"},"nics":[{"mac":"%s","boot":true,"address":"10.2.0.7"}]}"""
                .formatted(site, mac));
        String id = created.path("id");
        var replaced = given().contentType(ContentType.JSON).header("If-Match", created.header("ETag"))
                .body("""
                        {"site":"%s","hostname":"r1","nics":[{"mac":"%s","boot":true},{"mac":"%s","address":"10.2.0.7"}]}"""
                        .formatted(site, mac, second))
                .put("/api/v1/machines/" + id).then().log().ifValidationFails().statusCode(200).extract();
        assertThat(replaced.<Map<String, String>>path("labels")).isEmpty();
        assertThat(replaced.<List<Map<String, Object>>>path("nics")).hasSize(2);
        try (EventProbe reservations = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.DHCP_RESERVATIONS.name())) {
            var tombstone = reservations.awaitRecord(r -> mac.equals(r.key()) && r.value() == null, WAIT);
            assertThat(tombstone.headers().toArray()).isEmpty();
        }
        try (EventProbe reservations = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.DHCP_RESERVATIONS.name())) {
            reservations.await(e -> second.equals(e.subject())
                    && "10.2.0.7".equals(e.dataAs(EventTypes.DHCP_RESERVATION_UPDATED).ip()), WAIT);
        }
    }

    @Test
    void deleteRemovesTheMachineAndSaysSo() {
        String mac = Machines.mac();
        var created = Machines.create("{\"site\":\"%s\",\"nics\":[{\"mac\":\"%s\",\"address\":\"10.3.0.9\"}]}"
                .formatted(Machines.site("del"), mac));
        String id = created.path("id");
        given().header("If-Match", "\"999\"").delete("/api/v1/machines/" + id).then().statusCode(412);
        given().delete("/api/v1/machines/" + id).then().statusCode(204);
        given().get("/api/v1/machines/" + id).then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().get("/api/v1/machines/by-mac/" + mac).then().statusCode(404);
        try (EventProbe facts = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.MACHINE_FACTS.name())) {
            MachineDeleted d = facts.await(e -> e.type() == EventTypes.MACHINE_DELETED && id.equals(e.subject()), WAIT)
                    .dataAs(EventTypes.MACHINE_DELETED);
            assertThat(d.macs()).containsExactly(mac);
            assertThat(d.mergedInto()).isNull();
            assertThat(d.cause()).isEqualTo("api");
        }
        // The MAC is free again.
        Machines.createId(Machines.site("del"), mac);
    }

    @Test
    void aMacOrHostnameOfAnotherMachineIsAConflictNamingIt() {
        String site = Machines.site("dup");
        String mac = Machines.mac();
        Machines.create("{\"site\":\"%s\",\"hostname\":\"same\",\"nics\":[{\"mac\":\"%s\"}]}".formatted(site, mac));
        given().contentType(ContentType.JSON).body("{\"site\":\"%s\",\"nics\":[{\"mac\":\"%s\"}]}".formatted(site, mac))
                .post("/api/v1/machines").then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("nics.mac"));
        given().contentType(ContentType.JSON).body("{\"site\":\"%s\",\"hostname\":\"same\"}".formatted(site))
                .post("/api/v1/machines").then().statusCode(409).body("detail", containsString("hostname"));
        // The same host name in another site is fine.
        given().contentType(ContentType.JSON).body("{\"site\":\"%s\",\"hostname\":\"same\"}".formatted(Machines.site("dup")))
                .post("/api/v1/machines").then().statusCode(201);
    }

    @Test
    void badInputIsA400NamingTheFieldAndChangesNothing() throws Exception {
        String site = Machines.site("bad");
        record Case(String body, String field) {
        }
        for (Case c : List.of(
                new Case("{\"site\":\"" + site + "\",\"nics\":[{\"mac\":\"52:54:00:zz:00:01\"}]}", "nics[0].mac"),
                new Case("{\"site\":\"" + site + "\",\"nics\":[{\"mac\":\"02:00:00:00:00:01\",\"address\":\"10.0.0.256\"}]}", "nics[0].address"),
                new Case("{\"site\":\"" + site + "\",\"hostname\":\"-bad-\"}", "hostname"),
                new Case("{\"site\":\"Bad Site\"}", "site"),
                new Case("{\"hostname\":\"x\"}", "site"),
                new Case("{\"site\":\"" + site + "\",\"labels\":{\"bad key!\":\"v\"}}", "labels"),
                new Case("{\"site\":\"" + site + "\",\"memoryBytes\":5}", "memoryBytes"),
                new Case("{\"site\":\"" + site + "\",\"bmc\":{\"address\":\"10.0.0.1\",\"password\":\"hunter2\"}}", "bmc.password"),
                new Case("{\"site\":\"" + site + "\",\"state\":\"flying\"}", "state"),
                new Case("{\"site\":", "body"))) {
            given().contentType(ContentType.JSON).body(c.body()).post("/api/v1/machines").then()
                    .statusCode(400).contentType(Problem.MEDIA_TYPE).body("status", equalTo(400))
                    .body("detail", containsString(c.field()));
        }
        given().get("/api/v1/machines?site=" + site).then().statusCode(200).body("items.size()", equalTo(0));
        given().get("/api/v1/sites/" + site).then().statusCode(404);

        given().get("/api/v1/machines/not-a-uuid").then().statusCode(400).body("detail", containsString("id"));
        given().get("/api/v1/machines/by-mac/01:00:5e:00:00:01").then().statusCode(400).body("detail", containsString("mac"));
        given().get("/api/v1/machines?selector=rack in (r1").then().statusCode(400).body("detail", containsString("selector"));
        given().get("/api/v1/machines?limit=0").then().statusCode(400).body("detail", containsString("limit"));
        given().get("/api/v1/machines?sort=price").then().statusCode(400).body("detail", containsString("sort"));
        given().get("/api/v1/machines?cursor=%%%").then().statusCode(400).body("detail", containsString("cursor"));
        given().get("/api/v1/machines?state=flying").then().statusCode(400).body("detail", containsString("state"));
        assertThat(oversizedPostStatus(site)).as("a body over the 16 MiB limit").isEqualTo("413");
    }

    @Test
    void filtersBySiteStateLabelSelectorAndText() {
        String site = Machines.site("filter");
        String a = Machines.create("{\"site\":\"%s\",\"hostname\":\"alpha-01\",\"labels\":{\"rack\":\"r1\",\"role\":\"compute\"},\"nics\":[{\"mac\":\"%s\"}]}"
                .formatted(site, Machines.mac())).path("id");
        String b = Machines.create("{\"site\":\"%s\",\"hostname\":\"beta-02\",\"state\":\"ready\",\"labels\":{\"rack\":\"r2\",\"role\":\"storage\"}}"
                .formatted(site)).path("id");
        String c = Machines.create("{\"site\":\"%s\",\"hostname\":\"gamma-03\",\"labels\":{\"rack\":\"r3\"}}"
                .formatted(site)).path("id");
        assertThat(ids("site=" + site)).containsExactly(a, b, c);
        assertThat(ids("site=" + site + "&state=ready")).containsExactly(b);
        assertThat(ids("site=" + site + "&selector=rack in (r1,r3)")).containsExactly(a, c);
        assertThat(ids("site=" + site + "&selector=role")).containsExactly(a, b);
        assertThat(ids("site=" + site + "&selector=!role")).containsExactly(c);
        assertThat(ids("site=" + site + "&selector=role!=compute")).containsExactly(b, c);
        assertThat(ids("site=" + site + "&selector=rack notin (r1),role=storage")).containsExactly(b);
        assertThat(ids("site=" + site + "&q=ETA-0")).containsExactly(b);
        assertThat(ids("site=" + site + "&sort=-hostname")).containsExactly(c, b, a);
        assertThat(ids("site=" + site + "&q=100%")).isEmpty();

        given().get("/api/v1/sites/" + site).then().statusCode(200).body("machines", equalTo(3))
                .body("states.expected", equalTo(2)).body("states.ready", equalTo(1));
    }

    @Test
    void paginationStaysStableWhileMachinesAreAdded() {
        String site = Machines.site("page");
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            before.add(Machines.createId(site, Machines.mac()));
        }
        List<String> seen = new ArrayList<>();
        List<String> added = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = given().queryParam("site", site).queryParam("limit", 5)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .get("/api/v1/machines").then().statusCode(200).extract();
            seen.addAll(page.<List<String>>path("items.id"));
            cursor = page.path("next");
            if (cursor != null) {
                assertThat(page.header("Link")).contains("rel=\"next\"");
            }
            // Someone adds machines between pages.
            if (pages < 3) {
                added.add(Machines.createId(site, Machines.mac()));
            }
            pages++;
        } while (cursor != null && pages < 50);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen.subList(0, before.size())).containsExactlyElementsOf(before);
        assertThat(seen).containsAll(added);
        assertThat(seen).hasSize(before.size() + added.size());

        // A cursor cannot be replayed against other filters.
        var first = given().queryParam("site", site).queryParam("limit", 5).get("/api/v1/machines").then().extract();
        given().queryParam("site", site).queryParam("limit", 5).queryParam("sort", "-createdAt")
                .queryParam("cursor", (String) first.path("next")).get("/api/v1/machines").then().statusCode(400)
                .body("detail", containsString("cursor"));
        given().queryParam("site", site).queryParam("limit", 100).get("/api/v1/machines").then().body("next", nullValue());
    }

    static List<String> ids(String query) {
        return given().get("/api/v1/machines?" + query).then().statusCode(200).extract().path("items.id");
    }

    /** curl as the client: it sends Expect: 100-continue for a big body, so the 413 comes before the upload. */
    static String oversizedPostStatus(String site) throws Exception {
        java.nio.file.Path body = java.nio.file.Files.createTempFile("oversized", ".json");
        try {
            java.nio.file.Files.writeString(body, "{\"site\":\"" + site + "\",\"hostname\":\"" + "a".repeat(17 * 1024 * 1024) + "\"}");
            Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                    "Content-Type: application/json", "--data-binary", "@" + body,
                    "http://127.0.0.1:" + io.restassured.RestAssured.port + "/api/v1/machines").start();
            assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new String(curl.getInputStream().readAllBytes()).trim();
        } finally {
            java.nio.file.Files.delete(body);
        }
    }
}
