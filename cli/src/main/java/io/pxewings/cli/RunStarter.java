package io.pxewings.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Starts runs through the orchestrator, shows them, and with {@code --wait} follows them to their end. */
final class RunStarter {

    private RunStarter() {
    }

    static int start(WingsCli root, Output output, Map<String, Object> body, String idempotencyKey, boolean wait, Duration timeout) {
        if (idempotencyKey != null) {
            body.put("idempotencyKey", idempotencyKey);
        }
        body.put("by", "wings-cli:" + System.getProperty("user.name", "unknown"));
        JsonNode started = root.orchestrator().post("/api/v1/runs", body, Map.of());
        JsonNode runs = started.has("runs") ? started.get("runs") : started;
        if (output.json()) {
            output.print(started);
        } else {
            Table t = new Table("RUN", "MACHINE", "MAC", "SITE", "WORKFLOW", "IMAGE", "STATUS", "STAGE");
            for (JsonNode r : runs) {
                JsonNode run = r.has("run") ? r.get("run") : r;
                t.row(Text.str(run, "id"), Text.str(run, "machineId"), Text.str(run, "mac"), Text.str(run, "site"), Text.str(run, "workflow"),
                        Text.str(run, "image"), Text.str(run, "status"), Text.str(run, "stage"));
            }
            output.print(t);
        }
        if (!wait) {
            return 0;
        }
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode r : runs) {
            ids.add((r.has("run") ? r.get("run") : r).path("id").asText());
        }
        return new RunWatcher(root.orchestrator(), output).watch(ids, timeout);
    }
}
