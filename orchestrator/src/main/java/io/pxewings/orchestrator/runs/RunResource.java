package io.pxewings.orchestrator.runs;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.pxewings.events.run.RunSnapshot;
import io.pxewings.orchestrator.config.OrchestratorConfig;
import io.pxewings.orchestrator.views.Machines;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Runs: start them for machines, a list or a label selector; read them with their history; cancel them; a site's queue. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RunResource {

    @Inject
    RunEngine engine;

    @Inject
    RunStore runs;

    @Inject
    Machines machines;

    @Inject
    DataSource db;

    @Inject
    OrchestratorConfig config;

    @Inject
    SiteGates gates;

    /**
     * What to start: {@code machines} (ids or boot MACs) or {@code selector} ({@code key=value,...} on
     * inventory labels), the {@code image} ({@code NAME[:VERSION]}; the newest deployable version
     * when none is given), the {@code workflow} (default provision), the provision's {@code handOff}
     * ({@code auto}, {@code kexec}, {@code reboot}; default {@code wings.orchestrator.hand-off}), and an idempotency key.
     */
    public record StartBody(List<String> machines, String selector, String image, String workflow, String idempotencyKey, String by,
                            String handOff) {
    }

    /** A run with where it is in its site's queue (queued runs only) and its history. */
    public record RunView(RunSnapshot run, Integer queuePosition, List<RunStore.HistoryLine> history) {
    }

    @POST
    @Path("/runs")
    public Response start(StartBody body, @HeaderParam("Idempotency-Key") String idempotencyHeader) throws SQLException {
        if (body == null) {
            throw new RunRefused(400, "a JSON body with machines or selector, and image");
        }
        List<String> targets = new ArrayList<>(body.machines() == null ? List.of() : body.machines());
        if (body.selector() != null) {
            if (!targets.isEmpty()) {
                throw new RunRefused(400, "machines or selector, not both");
            }
            Map<String, String> selector = parseSelector(body.selector());
            try (Connection c = db.getConnection()) {
                machines.select(c, selector).forEach(m -> targets.add(m.id()));
            }
            if (targets.isEmpty()) {
                throw new RunRefused(422, "selector '" + body.selector() + "' matches no machine: nothing was started");
            }
        }
        String key = body.idempotencyKey() != null ? body.idempotencyKey() : idempotencyHeader;
        List<Run> started = engine.start(new RunEngine.StartRequest(targets, body.image(), body.workflow(), key, body.by(), body.handOff()));
        return Response.accepted(Map.of("runs", started.stream().map(Run::snapshot).toList())).build();
    }

    @GET
    @Path("/runs")
    public Map<String, Object> list(@QueryParam("machine") String machine, @QueryParam("site") String site, @QueryParam("status") String status,
                                    @QueryParam("limit") @DefaultValue("100") int limit) throws SQLException {
        if (limit < 1 || limit > 1000) {
            throw new RunRefused(400, "limit: 1 to 1000");
        }
        if (status != null && !List.of("queued", "running", "succeeded", "failed", "cancelled").contains(status)) {
            throw new RunRefused(400, "status: queued, running, succeeded, failed or cancelled");
        }
        try (Connection c = db.getConnection()) {
            String machineId = null;
            if (machine != null) {
                machineId = machines.find(c, machine).orElseThrow(() -> new RunRefused(404, "no machine " + machine)).id();
            }
            return Map.of("runs", runs.list(c, machineId, site, status, limit).stream().map(Run::snapshot).toList());
        }
    }

    @GET
    @Path("/runs/{id}")
    public RunView get(@PathParam("id") String id) throws SQLException {
        uuid(id);
        try (Connection c = db.getConnection()) {
            Run r = runs.get(c, id).orElseThrow(() -> new RunRefused(404, "no run " + id));
            return new RunView(r.snapshot(), r.status().equals("queued") ? runs.position(c, r) : null, runs.history(c, id));
        }
    }

    @POST
    @Path("/runs/{id}/cancel")
    public RunSnapshot cancel(@PathParam("id") String id, @QueryParam("by") String by) throws SQLException {
        uuid(id);
        return engine.cancel(id, by).snapshot();
    }

    @POST
    @Path("/runs/{id}/retry")
    public RunSnapshot retry(@PathParam("id") String id, @QueryParam("stage") String stage, @QueryParam("by") String by) throws SQLException {
        uuid(id);
        return engine.retry(id, stage, by).snapshot();
    }

    /** {@code {"on": true|false, "reason": "..."}}: a machine in maintenance gets no run. */
    public record MaintenanceBody(Boolean on, String reason, String by) {
    }

    @PUT
    @Path("/machines/{machine}/maintenance")
    public Map<String, Object> maintenance(@PathParam("machine") String machine, MaintenanceBody body) throws SQLException {
        if (body == null || body.on() == null) {
            throw new RunRefused(400, "a JSON body {\"on\": true|false, \"reason\": \"...\"}");
        }
        String state = engine.maintenance(machine, body.on(), body.reason(), body.by());
        return Map.of("machine", machine, "lifecycle", state);
    }

    @GET
    @Path("/sites/{site}/queue")
    public Map<String, Object> queue(@PathParam("site") String site) throws SQLException {
        try (Connection c = db.getConnection()) {
            int[] counts = runs.siteCounts(c).getOrDefault(site, new int[2]);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("site", site);
            out.put("running", counts[0]);
            out.put("queued", counts[1]);
            out.put("maxRuns", config.maxRunsPerSite());
            out.put("caps", gates.caps(site));
            List<Map<String, Object>> waiting = new ArrayList<>();
            for (Run r : runs.waitingAtGates(c, site)) {
                waiting.add(Map.of("run", r.snapshot(), "stage", r.stage()));
            }
            out.put("waiting", waiting);
            return out;
        }
    }

    static Map<String, String> parseSelector(String selector) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String term : selector.split(",")) {
            String[] kv = term.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new RunRefused(400, "selector: key=value[,key=value...], got '" + selector + "'");
            }
            out.put(kv[0].trim(), kv[1].trim());
        }
        return out;
    }

    static void uuid(String id) {
        try {
            java.util.UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new RunRefused(400, "run id: a UUID, got '" + id + "'");
        }
    }
}
