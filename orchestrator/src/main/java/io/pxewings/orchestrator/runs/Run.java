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

    /** A copy to change some fields of (a run is changed in one place: RunEngine, in a transaction). */
    public Changes change() {
        return new Changes(this);
    }

    /** The fields a step changes; {@link #done()} makes the new run, stamped now. */
    public static final class Changes {
        private final Run r;
        public int attempt;
        public String status;
        public String stage;
        public int stageTry;
        public String waitingFor;
        public String bootId;
        public String staleBootId;
        public Instant bootAfter;
        public Instant deadline;
        public String deadlineAction;
        public boolean fallbackUsed;
        public boolean wroteDisk;
        public String error;

        Changes(Run r) {
            this.r = r;
            attempt = r.attempt;
            status = r.status;
            stage = r.stage;
            stageTry = r.stageTry;
            waitingFor = r.waitingFor;
            bootId = r.bootId;
            staleBootId = r.staleBootId;
            bootAfter = r.bootAfter;
            deadline = r.deadline;
            deadlineAction = r.deadlineAction;
            fallbackUsed = r.fallbackUsed;
            wroteDisk = r.wroteDisk;
            error = r.error;
        }

        public Run done() {
            return new Run(r.id, r.machineId, r.mac, r.site, r.workflow, r.image, r.params, attempt, status, stage, stageTry, waitingFor,
                    bootId, staleBootId, bootAfter, deadline, deadlineAction, fallbackUsed, wroteDisk, error, r.trace, r.createdAt, Instant.now());
        }
    }

    public RunSnapshot snapshot() {
        return new RunSnapshot(id, machineId, mac, site, workflow, image, attempt, status, stage, stageTry,
                status.equals("running") ? deadline : null, error, createdAt, updatedAt);
    }
}
