package io.pxewings.orchestrator.runs;

import java.time.Instant;
import java.util.Map;

import io.pxewings.events.run.RunSnapshot;
import io.pxewings.orchestrator.workflow.Position;

/** A run as stored (table {@code run}). {@code params} hold what its stages need, fixed when it started. */
public record Run(String id, String machineId, String mac, String site, String workflow, String image, Map<String, Object> params,
                  int attempt, String status, String stage, int stageTry, String waitingFor, String bootId, String staleBootId,
                  Instant bootAfter, Instant deadline, String deadlineAction, boolean fallbackUsed, boolean wroteDisk, String error,
                  String trace, Instant createdAt, Instant updatedAt) {

    public boolean active() {
        return status.equals("queued") || status.equals("running");
    }

    public Position position() {
        return new Position(stage, stageTry, attempt, waitingFor, bootId, fallbackUsed);
    }

    public RunSnapshot snapshot() {
        return new RunSnapshot(id, machineId, mac, site, workflow, image, attempt, status, stage, stageTry,
                status.equals("running") ? deadline : null, error, createdAt, updatedAt);
    }
}
