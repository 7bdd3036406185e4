package io.pxewings.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Follows runs until each has ended, a line per change of stage or status; exit 0 only when all succeeded. */
final class RunWatcher {

    private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");

    private final Api orchestrator;
    private final Output output;

    RunWatcher(Api orchestrator, Output output) {
        this.orchestrator = orchestrator;
        this.output = output;
    }

    int watch(List<String> runIds, Duration timeout) {
        Map<String, String> seen = new LinkedHashMap<>();
        Map<String, JsonNode> last = new LinkedHashMap<>();
        Instant until = Instant.now().plus(timeout);
        while (true) {
            boolean allEnded = true;
            for (String id : runIds) {
                JsonNode run = last.get(id);
                if (run != null && ENDED.contains(run.path("status").asText())) {
                    continue;
                }
                run = orchestrator.get("/api/v1/runs/" + id).path("run");
                last.put(id, run);
                String now = run.path("stage").asText() + "/" + run.path("status").asText();
                if (!now.equals(seen.put(id, now))) {
                    report(run);
                }
                allEnded &= ENDED.contains(run.path("status").asText());
            }
            if (allEnded) {
                break;
            }
            if (Instant.now().isAfter(until)) {
                throw new CliException(CliException.REFUSED, "runs still going after " + timeout + " (they go on; ./wings runs shows them)");
            }
            sleep();
        }
        long failed = last.values().stream().filter(r -> !r.path("status").asText().equals("succeeded")).count();
        if (!output.json()) {
            output.line(String.format("%d of %d runs succeeded", last.size() - failed, last.size()));
        }
        return failed == 0 ? 0 : CliException.REFUSED;
    }

    private void report(JsonNode run) {
        if (output.json()) {
            output.print(run);
            return;
        }
        String error = Text.str(run, "error");
        output.line(String.format("%s  %s  %-16s %-10s%s", LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS),
                run.path("mac").asText(run.path("machineId").asText()), run.path("stage").asText(), run.path("status").asText(),
                error == null ? "" : "  " + error));
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.REFUSED, "interrupted");
        }
    }
}
