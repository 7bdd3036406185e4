package io.pxewings.httpboot.ipxe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pxewings.common.edge.BootIntentView;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.boot.BootIntent;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.httpboot.ScriptServed;
import io.pxewings.httpboot.agent.AgentTokens;
import io.pxewings.httpboot.config.HttpBootConfig;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventInjector;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * The script for each intent against a golden file ({@code src/test/resources/golden}); rewrite
 * them after a deliberate change with {@code -Dwings.golden.write=true} and read the diff.
 */
@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
class ScriptsTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final Pattern TOKEN = Pattern.compile("wings\\.token=(\\S+)");

    @Inject
    BootIntentView intents;

    @Inject
    HttpBootConfig config;

    static Response script(String mac) {
        return given().queryParam("mac", mac).queryParam("buildarch", "x86_64").queryParam("platform", "pcbios")
                .queryParam("uuid", "4c4c4544-0031-3010-8052-b4c04f395331").queryParam("product", "Standard PC (i440FX + PIIX, 1996)")
                .get("/boot.ipxe");
    }

    static void matchesGolden(String name, String body) throws Exception {
        Path golden = GOLDEN.resolve(name + ".ipxe");
        String normalised = TOKEN.matcher(body).replaceAll("wings.token=<token>");
        if (Boolean.getBoolean("wings.golden.write")) {
            Files.writeString(golden, normalised);
        }
        assertThat(normalised).as("script %s (golden file %s)", name, golden).isEqualTo(Files.readString(golden));
    }

    @Test
    void eachIntentGetsItsScript() throws Exception {
        record Case(String golden, String mac, String intent, String profile) {
        }
        List<Case> cases = List.of(new Case("discover", "52:54:00:00:00:01", "discover", null),
                new Case("ramos", "52:54:00:00:00:02", "ramos", null), new Case("local", "52:54:00:00:00:03", "local", null),
                new Case("shell", "52:54:00:00:00:04", "shell", null), new Case("none", "52:54:00:00:00:05", "none", null),
                new Case("install", "52:54:00:00:00:06", "install", "debian-12"),
                new Case("install-unknown-profile", "52:54:00:00:00:07", "install", "windows-3.1"));
        for (Case c : cases) {
            intents.put(new BootIntent(c.mac(), c.intent(), "m-" + c.mac().substring(15), "test", Instant.now(), c.profile()));
            Response r = script(c.mac());
            assertThat(r.statusCode()).as(c.golden()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("text/plain");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            matchesGolden(c.golden(), r.asString());
        }
    }

    @Test
    void theRamOsTokenIsForThisMachineOnly() {
        String mac = "52:54:00:00:00:12";
        intents.put(new BootIntent(mac, "ramos", null, "test", Instant.now()));
        Matcher m = TOKEN.matcher(script(mac).asString());
        assertThat(m.find()).isTrue();
        AgentTokens tokens = new AgentTokens(config.agent().secret(), "test");
        assertThat(tokens.verify(m.group(1), mac, Instant.now())).isEqualTo(AgentTokens.Verdict.VALID);
        assertThat(tokens.verify(m.group(1), "52:54:00:00:00:13", Instant.now())).isEqualTo(AgentTokens.Verdict.WRONG_MACHINE);
        assertThat(tokens.verify(m.group(1), mac, Instant.now().plus(config.agent().tokenTtl()).plusSeconds(1)))
                .isEqualTo(AgentTokens.Verdict.EXPIRED);
    }

    @Test
    void malformedIdentityIsAProblemNamingTheField() {
        for (String[] c : new String[][] {{"mac", "zz:zz"}, {"uuid", "not-a-uuid"}, {"platform", "p c"}}) {
            var req = given();
            req = c[0].equals("mac") ? req.queryParam("mac", c[1]) : req.queryParam("mac", "52:54:00:00:00:20").queryParam(c[0], c[1]);
            Response r = req.get("/boot.ipxe");
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.jsonPath().getString("detail")).startsWith(c[0] + ":");
        }
        assertThat(given().get("/boot.ipxe").statusCode()).as("no MAC at all").isEqualTo(400);
    }

    @Test
    void intentsFollowTheTopicAndScriptsAreFacts() {
        String mac = "52:54:00:00:00:31";
        try (EventInjector injector = new EventInjector(EmbeddedInfra.shared().kafkaBootstrap());
             EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.HTTP_BOOT_FACTS.name())) {
            assertThat(script(mac).asString()).as("no intent yet: the site default").contains("boots 'discover'");
            WingsEvent<?> first = probe.await(e -> e.type() == EventTypes.BOOT_SCRIPT_SERVED && mac.equals(e.key()), Duration.ofSeconds(30));
            assertThat(((ScriptServed) first.data()).source()).isEqualTo("site-default");
            assertThat(((ScriptServed) first.data()).template()).isEqualTo("ramos");

            BootIntent local = new BootIntent(mac, "local", "m-31", "provisioned", Instant.now());
            injector.send(new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.BOOT_INTENT_UPDATED,
                    "/sites/test/orchestrator/o-1", mac, "test", Instant.now(), Traceparent.newRoot(), mac, local));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> script(mac).asString().contains("sanboot"));
            WingsEvent<?> served = probe.await(e -> e.type() == EventTypes.BOOT_SCRIPT_SERVED && mac.equals(e.key())
                    && "local".equals(((ScriptServed) e.data()).intent()), Duration.ofSeconds(30));
            ScriptServed s = (ScriptServed) served.data();
            assertThat(s.source()).isEqualTo("intent");
            assertThat(s.machineId()).isEqualTo("m-31");
            assertThat(s.client()).isEqualTo("127.0.0.1");

            injector.sendRaw(Topics.BOOT_INTENTS.name(), mac, List.of(), null);   // a tombstone removes the intent
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> script(mac).asString().contains("boots 'discover'"));
        }
    }
}
