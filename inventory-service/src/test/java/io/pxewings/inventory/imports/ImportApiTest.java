package io.pxewings.inventory.imports;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pxewings.common.problem.Problem;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.machine.MachineRegistered;
import io.pxewings.inventory.Machines;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Bulk import through the API into the real database: good rows land, bad rows are reported by line. */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class ImportApiTest {

    @Test
    void goodRowsLandBadRowsAreReportedByLineAndChangeNothing() {
        String site = Machines.site("imp");
        String taken = Machines.mac();
        Machines.create("{\"site\":\"%s\",\"hostname\":\"taken\",\"nics\":[{\"mac\":\"%s\"}]}".formatted(site, taken));
        String a = Machines.mac();
        String b = Machines.mac();
        String c = Machines.mac();
        String csv = "mac,hostname,bmc_address,bmc_protocol,bmc_credentials,labels,address\r\n"
                + a + ",node-a,10.50.0.1,ipmi,vault:imp/bmc,rack=r1;role=compute,10.60.0.1\r\n"     // line 2
                + "52:54:00:zz:00:01,node-x,,,,,\r\n"                                                // line 3: bad MAC
                + b + ",\"node-b\",10.50.0.2,redfish,,\"rack=r1\",\r\n"                              // line 4
                + a + ",node-a2,,,,,\r\n"                                                            // line 5: MAC again
                + c + ",taken,,,,,\r\n"                                                              // line 6: host name held
                + Machines.mac() + ",node-d,10.50.0.1,,,,\r\n";                                      // line 7: BMC of line 2

        JsonPath report = given().contentType("text/csv").body(csv).queryParam("site", site)
                .post("/api/v1/machines/import").then().statusCode(200).extract().jsonPath();

        assertThat(report.getInt("created")).isEqualTo(2);
        assertThat(report.getInt("failed")).isEqualTo(4);
        assertThat(report.getBoolean("dryRun")).isFalse();
        List<Map<String, Object>> rows = report.getList("rows");
        assertThat(rows).extracting(r -> r.get("line")).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(rows).extracting(r -> r.get("result"))
                .containsExactly("created", "failed", "created", "failed", "failed", "failed");
        assertThat(report.getString("rows[1].errors[0].field")).isEqualTo("mac");
        assertThat(report.getString("rows[3].errors[0].message")).contains("line 2");
        assertThat(report.getString("rows[4].errors[0].field")).isEqualTo("hostname");
        assertThat(report.getString("rows[5].errors[0].field")).isEqualTo("bmc_address");

        var machineA = given().get("/api/v1/machines/by-mac/" + a).then().statusCode(200).extract().jsonPath();
        assertThat(machineA.getString("hostname")).isEqualTo("node-a");
        assertThat(machineA.getString("state")).isEqualTo("expected");
        assertThat(machineA.getString("bmc.credentialsRef")).isEqualTo("vault:imp/bmc");
        assertThat(machineA.<String, String>getMap("labels")).containsEntry("role", "compute");
        assertThat(machineA.getString("nics[0].address")).isEqualTo("10.60.0.1");
        assertThat(machineA.getString("id")).isEqualTo(report.getString("rows[0].machineId"));
        given().get("/api/v1/machines/by-mac/" + c).then().statusCode(404);
        assertThat(given().get("/api/v1/machines?site=" + site).then().extract().<List<String>>path("items.hostname"))
                .containsExactlyInAnyOrder("taken", "node-a", "node-b");

        try (EventProbe facts = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.MACHINE_FACTS.name())) {
            MachineRegistered r = facts.await(e -> e.type() == EventTypes.MACHINE_REGISTERED
                    && machineA.getString("id").equals(e.subject()), Duration.ofSeconds(30)).dataAs(EventTypes.MACHINE_REGISTERED);
            assertThat(r.cause()).isEqualTo("import");
        }

        // The same file again changes nothing; a relabel updates.
        JsonPath again = given().contentType("text/csv").body("mac,labels\n" + a + ",rack=r1;role=compute\n" + b + ",rack=r2\n")
                .queryParam("site", site).post("/api/v1/machines/import").then().statusCode(200).extract().jsonPath();
        assertThat(again.getInt("unchanged")).isEqualTo(1);
        assertThat(again.getInt("updated")).isEqualTo(1);
        given().get("/api/v1/machines/by-mac/" + b).then().body("labels.rack", equalTo("r2"));
    }

    @Test
    void aDryRunChecksEverythingAndWritesNothing() {
        String site = Machines.site("dry");
        String mac = Machines.mac();
        JsonPath report = given().contentType(ContentType.JSON).queryParam("dryRun", true).body("""
                [{"mac":"%s","site":"%s","hostname":"dry-1","bmc":{"address":"10.70.0.1","protocol":"redfish"},
                  "labels":{"rack":"r9"}},
                 {"mac":"not-a-mac","site":"%s"}]""".formatted(mac, site, site))
                .post("/api/v1/machines/import").then().statusCode(200).extract().jsonPath();
        assertThat(report.getBoolean("dryRun")).isTrue();
        assertThat(report.getInt("created")).isEqualTo(1);
        assertThat(report.getInt("failed")).isEqualTo(1);
        given().get("/api/v1/machines/by-mac/" + mac).then().statusCode(404);
        given().get("/api/v1/sites/" + site).then().statusCode(404);

        JsonPath real = given().contentType(ContentType.JSON).body("""
                {"machines":[{"mac":"%s","site":"%s","hostname":"dry-1","bmc":{"address":"10.70.0.1","protocol":"redfish"}}]}"""
                .formatted(mac, site)).post("/api/v1/machines/import").then().statusCode(200).extract().jsonPath();
        assertThat(real.getInt("created")).isEqualTo(1);
        given().get("/api/v1/machines/by-mac/" + mac).then().statusCode(200).body("bmc.protocol", equalTo("redfish"));
    }

    @Test
    void aRowCannotMoveAMachineToAnotherSite() {
        String mac = Machines.mac();
        Machines.createId(Machines.site("home"), mac);
        JsonPath report = given().contentType("text/csv").body("mac,site\n" + mac + "," + Machines.site("away") + "\n")
                .post("/api/v1/machines/import").then().statusCode(200).extract().jsonPath();
        assertThat(report.getString("rows[0].result")).isEqualTo("failed");
        assertThat(report.getString("rows[0].errors[0].field")).isEqualTo("site");
    }

    @Test
    void anUnreadableFileIsA400NamingWhy() {
        given().contentType("text/csv").body("mac,colour\n02:00:00:00:00:01,blue\n").queryParam("site", "x")
                .post("/api/v1/machines/import").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("colour"));
        given().contentType("text/csv").body("").post("/api/v1/machines/import").then().statusCode(400)
                .body("detail", containsString("file"));
        given().contentType(ContentType.JSON).body("{\"mac\":1}").post("/api/v1/machines/import").then().statusCode(400)
                .body("detail", containsString("body"));
    }
}
