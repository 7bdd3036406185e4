package io.pxewings.httpboot.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.pxewings.common.problem.ProblemMappers;
import io.pxewings.events.agent.AgentLog;
import io.pxewings.events.agent.AgentTask;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.agent.TaskProgress;
import io.pxewings.events.agent.TaskResult;
import io.pxewings.httpboot.facts.HttpBootFacts;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The RAM-OS agent API. Every call is authenticated by {@link AgentAuth}; answers are JSON, or
 * {@code KEY=VALUE} lines when the agent asks for {@code text/plain}. Bodies may be JSON or
 * {@code KEY=VALUE} lines too (a busybox script builds the latter with printf). Accepted reports
 * become facts on {@code wings.agent.facts}; nothing here waits on Kafka.
 */
@Path("/api/agent/v1")
public class AgentResource {

    /** Longest long poll; a longer wait is refused, not shortened, so the agent learns its mistake. */
    static final int MAX_WAIT_SECONDS = 60;
    static final int MAX_LOG_LINES = 1000;
    static final int MAX_LOG_LINE = 4096;

    @Inject
    AgentAuth auth;

    @Inject
    TaskView tasks;

    @Inject
    HttpBootFacts facts;

    @Inject
    Inventories inventories;

    @Inject
    Vertx vertx;

    @Context
    UriInfo uri;

    @POST
    @Path("/inventory")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The machine's hardware, as the agent found it (the payload of agent.inventory.reported)")
    public Response inventory(@BeanParam AgentCall call, InventoryReported report) {
        AgentAuth.Caller caller = auth.inventory(call);
        String mac = caller.mac();
        if (report != null && report.mac() == null) {
            return bad("mac: required");
        }
        if (report != null && !mac.equals(report.mac())) {
            return ProblemMappers.problem(403, "Forbidden", "the report is for " + report.mac() + ", the token for " + mac, uri);
        }
        try {
            InventoryCheck.check(report, mac);
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        auth.admitInventory(caller);
        InventoryReported ofBoot = report.forBoot(caller.claims().bootId());
        inventories.put(ofBoot);
        facts.inventory(ofBoot);
        return accepted(call.accept, Map.of("accepted", "inventory"));
    }

    @POST
    @Path("/token")
    @Operation(summary = "A fresh token of the caller's boot, for the one it presents (still valid)",
            description = "Tokens are short-lived (wings.http-boot.agent.token-ttl): the agent renews before half of it has passed.")
    public Response token(@BeanParam AgentCall call) {
        AgentAuth.Caller caller = auth.caller(call);
        String fresh = auth.renew(caller);
        return wantsText(call.accept) ? Response.ok(KeyValues.format(Map.of("TOKEN", fresh)), MediaType.TEXT_PLAIN).build()
                : Response.ok(Map.of("token", fresh), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/next-task")
    @Operation(summary = "Long poll for the machine's next task: 200 with the task, or 204 after `wait` seconds without one")
    public CompletionStage<Response> nextTask(@BeanParam AgentCall call,
                                              @QueryParam("wait") @DefaultValue("30") @Parameter(description = "0-60 seconds") String wait) {
        String mac = auth.machine(call);
        int seconds;
        try {
            seconds = Integer.parseInt(wait);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
            return CompletableFuture.completedFuture(bad("wait: seconds from 0 to " + MAX_WAIT_SECONDS));
        }
        var now = tasks.current(mac);
        if (now.isPresent() || seconds == 0) {
            return CompletableFuture.completedFuture(now.map(t -> task(call.accept, t)).orElseGet(() -> Response.noContent().build()));
        }
        CompletableFuture<AgentTask> arrival = tasks.await(mac);
        long timer = vertx.setTimer(Duration.ofSeconds(seconds).toMillis(), id -> arrival.complete(null));
        return arrival.handle((t, error) -> {
            vertx.cancelTimer(timer);
            tasks.cancel(mac, arrival);
            return t == null ? Response.noContent().build() : task(call.accept, t);
        });
    }

    @POST
    @Path("/tasks/{id}/progress")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "How far the task got")
    public Response progress(@BeanParam AgentCall call, @PathParam("id") String id, ProgressBody body) {
        String mac = auth.machine(call);
        if (body == null) {
            return bad("body: {\"percent\": 0-100, \"message\": \"...\"} is required");
        }
        return progress(mac, call.accept, new TaskProgress(mac, id, body.percent(), body.message(), body.bytes(),
                body.totalBytes(), body.bytesPerSecond()));
    }

    @POST
    @Path("/tasks/{id}/progress")
    @Consumes(MediaType.TEXT_PLAIN)
    public Response progressText(@BeanParam AgentCall call, @PathParam("id") String id, String body) {
        String mac = auth.machine(call);
        Map<String, String> kv;
        try {
            kv = KeyValues.parse(body == null ? "" : body);
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        Long[] numbers = new Long[4];
        String[] keys = {"PERCENT", "BYTES", "TOTAL_BYTES", "BYTES_PER_SECOND"};
        for (int i = 0; i < keys.length; i++) {
            String v = kv.get(keys[i]);
            try {
                numbers[i] = v == null ? null : Long.valueOf(v.trim());
            } catch (NumberFormatException e) {
                return bad(keys[i] + ": not a number");
            }
        }
        Integer percent = numbers[0] == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, numbers[0]));
        return progress(mac, call.accept, new TaskProgress(mac, id, percent, kv.get("MESSAGE"), numbers[1], numbers[2], numbers[3]));
    }

    private Response progress(String mac, String accept, TaskProgress p) {
        Response stale = notCurrent(mac, p.taskId());
        if (stale != null) {
            return stale;
        }
        if (p.percent() != null && (p.percent() < 0 || p.percent() > 100)) {
            return bad("percent: 0 to 100");
        }
        for (Long n : new Long[] {p.bytes(), p.totalBytes(), p.bytesPerSecond()}) {
            if (n != null && n < 0) {
                return bad("bytes, totalBytes and bytesPerSecond: 0 or more");
            }
        }
        facts.progress(new TaskProgress(mac, p.taskId(), p.percent(), clip(p.message()), p.bytes(), p.totalBytes(),
                p.bytesPerSecond()));
        return accepted(accept, Map.of("accepted", "progress"));
    }

    @POST
    @Path("/tasks/{id}/result")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The task's outcome (completed or failed); the task is not handed out again")
    public Response result(@BeanParam AgentCall call, @PathParam("id") String id, ResultBody body) {
        String mac = auth.machine(call);
        if (body == null) {
            return bad("body: {\"outcome\": \"completed\"|\"failed\", ...} is required");
        }
        return result(mac, call.accept, id, body.outcome(), body.message(), body.details() == null ? Map.of() : body.details());
    }

    @POST
    @Path("/tasks/{id}/result")
    @Consumes(MediaType.TEXT_PLAIN)
    public Response resultText(@BeanParam AgentCall call, @PathParam("id") String id, String body) {
        String mac = auth.machine(call);
        Map<String, String> kv;
        try {
            kv = KeyValues.parse(body == null ? "" : body);
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        Map<String, String> details = new LinkedHashMap<>();
        kv.forEach((k, v) -> {
            if (k.startsWith("DETAIL_")) {
                details.put(k.substring(7).toLowerCase(Locale.ROOT), v);
            }
        });
        return result(mac, call.accept, id, kv.get("OUTCOME"), kv.get("MESSAGE"), details);
    }

    private Response result(String mac, String accept, String id, String outcome, String message, Map<String, String> details) {
        if (!"completed".equals(outcome) && !"failed".equals(outcome)) {
            return bad("outcome: completed or failed");
        }
        if (details.size() > 100) {
            return bad("details: more than 100");
        }
        Response stale = notCurrent(mac, id);
        if (stale != null) {
            return stale;
        }
        AgentTask task = tasks.current(mac).orElseThrow();
        Map<String, String> clipped = new LinkedHashMap<>();
        details.forEach((k, v) -> clipped.put(clip(k), clip(v)));
        tasks.markDone(id);
        facts.result(outcome.equals("completed"), new TaskResult(mac, id, task.kind(), clip(message), clipped));
        return accepted(accept, Map.of("accepted", "result"));
    }

    @POST
    @Path("/log")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Lines the agent logged")
    public Response log(@BeanParam AgentCall call, LogBody body) {
        String mac = auth.machine(call);
        if (body == null || body.lines() == null) {
            return bad("lines: required");
        }
        return log(mac, call.accept, body.level() == null ? "info" : body.level(), body.lines());
    }

    @POST
    @Path("/log")
    @Consumes(MediaType.TEXT_PLAIN)
    public Response logText(@BeanParam AgentCall call, @QueryParam("level") @DefaultValue("info") String level, String body) {
        String mac = auth.machine(call);
        List<String> lines = new ArrayList<>(List.of((body == null ? "" : body).split("\r?\n")));
        lines.removeIf(String::isEmpty);
        return log(mac, call.accept, level, lines);
    }

    private Response log(String mac, String accept, String level, List<String> lines) {
        if (!List.of("debug", "info", "warn", "error").contains(level)) {
            return bad("level: debug, info, warn or error");
        }
        if (lines.size() > MAX_LOG_LINES) {
            return bad("lines: more than " + MAX_LOG_LINES + " in one call");
        }
        List<String> clipped = new ArrayList<>(lines.size());
        for (String l : lines) {
            clipped.add(l == null ? "" : l.length() > MAX_LOG_LINE ? l.substring(0, MAX_LOG_LINE) : l);
        }
        facts.log(new AgentLog(mac, level, clipped));
        return accepted(accept, Map.of("accepted", "log", "lines", Integer.toString(clipped.size())));
    }

    /** Progress and results are for the machine's current task only. */
    private Response notCurrent(String mac, String id) {
        if (tasks.current(mac).map(t -> t.id().equals(id)).orElse(false)) {
            return null;
        }
        return ProblemMappers.problem(409, "Conflict", "task " + clip(id) + " is not this machine's current task", uri);
    }

    private static Response task(String accept, AgentTask t) {
        if (wantsText(accept)) {
            Map<String, String> kv = new LinkedHashMap<>();
            kv.put("TASK_ID", t.id());
            kv.put("TASK_KIND", t.kind());
            if (t.params() != null) {
                t.params().forEach((k, v) -> kv.put("TASK_" + k, v));
            }
            return Response.ok(KeyValues.format(kv), MediaType.TEXT_PLAIN).build();
        }
        return Response.ok(t, MediaType.APPLICATION_JSON).build();
    }

    private static Response accepted(String accept, Map<String, String> body) {
        return wantsText(accept) ? Response.accepted(KeyValues.format(body)).type(MediaType.TEXT_PLAIN).build()
                : Response.accepted(body).type(MediaType.APPLICATION_JSON).build();
    }

    private Response bad(String detail) {
        return ProblemMappers.problem(400, "Bad Request", detail, uri);
    }

    private static boolean wantsText(String accept) {
        return accept != null && accept.contains("text/plain") && !accept.contains("application/json");
    }

    private static String clip(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 1024));
        for (int i = 0; i < s.length() && i < 1024; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return b.toString();
    }

    /** {@code POST /tasks/{id}/progress} as JSON. */
    public record ProgressBody(Integer percent, String message, Long bytes, Long totalBytes, Long bytesPerSecond) {
    }

    /** {@code POST /tasks/{id}/result} as JSON. */
    public record ResultBody(String outcome, String message, Map<String, String> details) {
    }

    /** {@code POST /log} as JSON. */
    public record LogBody(String level, List<String> lines) {
    }
}
