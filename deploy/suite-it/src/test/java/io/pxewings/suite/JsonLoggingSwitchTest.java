package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pxewings.deploy.infra.FreePorts;

/** WINGS_LOG_JSON=true turns a service's console log into one JSON object per line. */
class JsonLoggingSwitchTest {

    @Test
    void consoleLogsBecomeJsonLines() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Repo.service("tftp-service")).redirectErrorStream(true);
        pb.environment().put("WINGS_LOG_JSON", "true");
        pb.environment().put("WINGS_SITE", "lab");
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(FreePorts.next()));
        // Not the default UDP 6969 nor .wings/tftp: a suite from ./wings up may be using them.
        pb.environment().put("WINGS_TFTP_PORT", "0");
        pb.environment().put("WINGS_TFTP_ROOT", java.nio.file.Path.of("target/json-logging/tftp").toAbsolutePath().toString());
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + FreePorts.next());
        Process p = pb.start();
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            ObjectMapper json = new ObjectMapper();
            String line;
            while (Instant.now().isBefore(deadline) && (line = out.readLine()) != null) {
                if (line.startsWith("{")) {
                    lines.add(json.readTree(line));
                }
                if (line.contains("started in")) {
                    break;
                }
            }
        } finally {
            // Only the log format matters here, not an orderly stop against an absent broker.
            p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(lines).as("JSON log lines").isNotEmpty();
        assertThat(lines).anySatisfy(node -> {
            assertThat(node.path("level").asText()).isEqualTo("INFO");
            assertThat(node.path("loggerName").asText()).isNotEmpty();
            assertThat(node.path("message").asText()).contains("tftp-service");
        });
    }
}
