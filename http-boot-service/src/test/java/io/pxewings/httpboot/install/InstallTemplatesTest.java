package io.pxewings.httpboot.install;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pxewings.common.edge.BootIntentView;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.boot.BootIntent;
import io.pxewings.httpboot.agent.Inventories;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Every installer template and cloud-init file for a fully described machine, against golden
 * files ({@code src/test/resources/golden/install}; rewrite with {@code -Dwings.golden.write=true}
 * and read the diff), and the 422 for what a machine lacks.
 */
@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
class InstallTemplatesTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/install");
    static final Path OPERATOR_DIR = Path.of("target/wings-test/templates");
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm0Yl8n3s7GXqkzP0Q2eTq5rT4dJ6uG2fWm3kX7c9Lr ops@example";

    @Inject
    BootIntentView intents;

    @Inject
    Inventories inventories;

    static Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hostname", "web-01.fra1.example.net");
        p.put("address", "10.77.0.23/24");
        p.put("gateway", "10.77.0.1");
        p.put("dns", "10.77.0.2,10.77.0.3");
        p.put("ssh-keys", KEY);
        p.put("root-password-hash", "$6$rounds=4096$saltsalt$hashhashhashhash");
        p.put("label.rack", "r12");
        return p;
    }

    void machine(String mac, Map<String, String> params) {
        intents.put(new BootIntent(mac, "install", "m-7", "test", Instant.now(), "debian-12", params));
        inventories.put(new InventoryReported(mac, "uefi", null, null, null, null, null, null, null, null, null, null,
                List.of(new InventoryReported.Disk("sda", 4_000_787_030_016L, "HDD", "s1", true, null),
                        new InventoryReported.Disk("nvme0n1", 500_107_862_016L, "SSD", "s2", false, null)),
                List.of(), null, null));
    }

    @Test
    void everyTemplateForAFullyDescribedMachine() throws Exception {
        String mac = "52:54:00:00:02:01";
        machine(mac, params());
        for (String name : InstallTemplates.INSTALLERS) {
            golden(name, given().get("/templates/" + mac + "/" + name));
        }
        for (String name : InstallTemplates.CLOUD_INIT) {
            golden("cloud-init-" + name, given().get("/cloud-init/" + mac + "/" + name));
        }
    }

    static void golden(String name, Response r) throws Exception {
        assertThat(r.statusCode()).as(name + ": " + r.asString()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        Path golden = GOLDEN.resolve(name);
        if (Boolean.getBoolean("wings.golden.write")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, r.asString());
        }
        assertThat(r.asString()).as("%s (golden file %s)", name, golden).isEqualTo(Files.readString(golden));
    }

    @Test
    void whatAMachineLacksIsNamedNeverBlank() {
        String mac = "52:54:00:00:02:02";
        Map<String, String> p = params();
        p.remove("hostname");
        p.put("ssh-keys", " ");
        machine(mac, p);
        Response r = given().get("/templates/" + mac + "/preseed");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains("{m.hostname}");

        p.put("hostname", "db-01");
        machine(mac, p);
        Response noKeys = given().get("/cloud-init/" + mac + "/user-data");
        assertThat(noKeys.statusCode()).as("a blank parameter is a missing one").isEqualTo(422);
        assertThat(noKeys.jsonPath().getString("detail")).contains("m.sshKeys");

        p.put("hostname", "Bad_Host");
        machine(mac, p);
        Response bad = given().get("/templates/" + mac + "/kickstart");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.jsonPath().getString("detail")).startsWith("the intent's parameter hostname:");

        assertThat(given().get("/templates/52:54:00:00:02:99/esxi").statusCode()).as("no intent, no values").isEqualTo(422);
        assertThat(given().get("/templates/" + mac + "/windows").statusCode()).isEqualTo(404);
        assertThat(given().get("/cloud-init/" + mac + "/passwd").statusCode()).isEqualTo(404);
        assertThat(given().get("/templates/not-a-mac/preseed").statusCode()).isEqualTo(400);
    }

    @Test
    void anOperatorsFileReplacesTheBuiltInAndIsReadAgainWhenEdited() throws Exception {
        String mac = "52:54:00:00:02:03";
        machine(mac, params());
        Files.createDirectories(OPERATOR_DIR);
        Path file = OPERATOR_DIR.resolve("vendor-data");
        try {
            Files.writeString(file, "#cloud-config\n# site {m.site}, rack {m.labels.rack}\n");
            assertThat(given().get("/cloud-init/" + mac + "/vendor-data").asString()).isEqualTo("#cloud-config\n# site test, rack r12\n");
            Files.writeString(file, "#cloud-config\nruncmd: [[echo, {m.hostname}]]\n");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            assertThat(given().get("/cloud-init/" + mac + "/vendor-data").asString())
                    .isEqualTo("#cloud-config\nruncmd: [[echo, web-01.fra1.example.net]]\n");
        } finally {
            Files.deleteIfExists(file);
        }
        assertThat(given().get("/cloud-init/" + mac + "/vendor-data").asString()).as("the built-in again").contains("nothing by default");
    }
}
