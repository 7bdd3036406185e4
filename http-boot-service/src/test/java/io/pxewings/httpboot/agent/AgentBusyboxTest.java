package io.pxewings.httpboot.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.agent.AgentTask;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.agent.TaskResult;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.httpboot.config.HttpBootConfig;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The agent's own client: busybox sh and wget (Debian's busybox-static, as in the RAM-only OS)
 * talk to the API the way the agent script does, KEY=VALUE lines read with IFS='=', no eval.
 */
@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
class AgentBusyboxTest {

    @Inject
    HttpBootConfig config;

    @Inject
    ServiceIdentity identity;

    @Inject
    TaskView tasks;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    static final String SCRIPT = """
            set -u
            H="http://127.0.0.1:$PORT/api/agent/v1"
            get() { busybox wget -q -O - --header "Authorization: Bearer $TOKEN" --header "X-Wings-Mac: $MAC" --header "Accept: text/plain" "$@"; }
            post() { url=$1; shift; get --header "Content-Type: $1" --post-data "$2" "$url"; }
            get "$H/next-task?wait=5" > "$WORK/task" || exit 10
            id= kind= secs=
            while IFS='=' read -r key value; do
              case "$key" in TASK_ID) id=$value ;; TASK_KIND) kind=$value ;; TASK_SECONDS) secs=$value ;; esac
            done < "$WORK/task"
            post "$H/inventory" application/json "$(printf '{"mac":"%s","firmware":"%s","memoryBytes":%s,"cpuThreads":%s,"disks":[{"name":"vda","sizeBytes":%s,"rotational":false}],"nics":[{"name":"eth0","mac":"%s","link":true}]}' \\
              "$MAC" bios 536870912 2 2147483648 "$MAC")" || exit 11
            post "$H/tasks/$id/progress" text/plain "$(printf 'PERCENT=50\\nMESSAGE=waiting %s s' "$secs")" || exit 12
            post "$H/tasks/$id/result" text/plain "$(printf 'OUTCOME=completed\\nMESSAGE=done\\nDETAIL_SLEPT=%s' "$secs")" || exit 13
            echo "kind=$kind id=$id secs=$secs"
            TOKEN=v1.1.forged get "$H/next-task?wait=0" > /dev/null 2>&1 && exit 14
            exit 0
            """;

    @Test
    void busyboxWgetCarriesOutATask() throws Exception {
        String mac = "52:54:00:00:03:01";
        AgentTask task = new AgentTask("t-" + UUID.randomUUID(), mac, "wait", Map.of("seconds", "7"), Instant.now());
        tasks.put(task);
        String token = new AgentTokens(config.agent().secret(), identity.site()).issue(mac, AgentTokens.newBootId(), Instant.now(), Instant.now().plusSeconds(600));
        File work = java.nio.file.Files.createTempDirectory("agent").toFile();
        try (EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.AGENT_FACTS.name())) {
            ProcessBuilder pb = new ProcessBuilder("busybox", "sh", "-c", SCRIPT).redirectErrorStream(true);
            pb.environment().putAll(Map.of("PORT", Integer.toString(port), "TOKEN", token, "MAC", mac, "WORK", work.getPath()));
            Process p = pb.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("ACCEPTED=inventory", "ACCEPTED=progress", "ACCEPTED=result",
                    "kind=wait id=" + task.id() + " secs=7");

            WingsEvent<?> inventory = probe.await(e -> e.type() == EventTypes.AGENT_INVENTORY_REPORTED && mac.equals(e.key()),
                    Duration.ofSeconds(30));
            InventoryReported r = (InventoryReported) inventory.data();
            assertThat(r.memoryBytes()).isEqualTo(536_870_912L);
            assertThat(r.disks()).singleElement().satisfies(d -> assertThat(d.sizeBytes()).isEqualTo(2_147_483_648L));
            WingsEvent<?> done = probe.await(e -> e.type() == EventTypes.AGENT_TASK_COMPLETED && mac.equals(e.key()),
                    Duration.ofSeconds(30));
            assertThat(((TaskResult) done.data()).details()).containsEntry("slept", "7");
        }
    }
}
