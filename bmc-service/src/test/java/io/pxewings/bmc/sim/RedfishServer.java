package io.pxewings.bmc.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A Redfish service for tests, over DMTF's {@code public-rackmount1} mockup (the part kept in
 * {@code src/test/resources/redfish}, see {@link #MOCKUP}):
 * Debian ships Redfish clients (python3-sushy, redfishtool) but no server. Unlike a static
 * mockup it changes state: power by {@code ComputerSystem.Reset}, the boot override by PATCH
 * with ETags, sessions, virtual media, and task monitors. It can also behave like the BMCs the
 * anchors' trackers describe (each fault below), so every quirk bmc-service handles is tested.
 * Checked with sushy and redfishtool as independent clients (RedfishServerTest).
 */
public final class RedfishServer implements AutoCloseable {

    public static final String SYSTEM = "/redfish/v1/Systems/437XR1138R2";
    /** The mockup in the test resources (target/test-classes after the build). */
    public static final Path MOCKUP = mockup();
    public static final String CD = SYSTEM + "/VirtualMedia/CD1";
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request and what the handler answers: the service logic never sees the HTTP library. */
    static final class HttpExchange implements AutoCloseable {
        final String method;
        final String path;
        final MultiMap requestHeaders;
        final byte[] body;
        final Map<String, String> responseHeaders = new java.util.LinkedHashMap<>();
        int status;
        byte[] response;

        HttpExchange(String method, String path, MultiMap headers, byte[] body) {
            this.method = method;
            this.path = path;
            this.requestHeaders = headers;
            this.body = body;
        }

        @Override
        public void close() {
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private HttpServer http;
    private final Map<String, ObjectNode> resources = new ConcurrentHashMap<>();
    private final Map<String, String> sessions = new ConcurrentHashMap<>();   // token -> session path
    private final Map<String, AtomicInteger> taskPolls = new ConcurrentHashMap<>();
    private final String user;
    private final String password;
    private final AtomicInteger version = new AtomicInteger(1);
    private final AtomicInteger sessionSeq = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger patches = new AtomicInteger();
    private final List<String> resets = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

    // Faults and vendor behaviours, each named after what a BMC in the field did.
    private volatile int failNext;
    private volatile int failStatus = 503;
    private volatile long delayMillis;
    private volatile int delayNext;
    private volatile boolean requireIfMatch;        // 428 without If-Match (some Lenovo, AMI, Huawei)
    private volatile boolean strongEtagOnly;        // 412 unless the ETag is sent unquoted-weak... (Lenovo XCC)
    private volatile boolean refuseModeInPatch;     // 400 for a PATCH naming BootSourceOverrideMode (some HPE)
    private volatile boolean revertModeUnlessSent;  // Mode reverts to Legacy unless sent (Supermicro, AMI)
    private volatile boolean noContinuous;          // "Continuous" refused (Supermicro)
    private volatile int maxSessions = 16;          // Supermicro allows 16; iDRAC answers 503 past its limit
    private volatile boolean resetAsTask;           // Reset answers 202 with a task monitor
    private volatile int taskPollsNeeded = 2;
    private volatile int transientResetRefusals;    // 409 to a Reset while "in POST" (iDRAC SYS518, iLO)
    private volatile boolean noSessionService;      // basic auth only
    private volatile boolean ignoreBootPatch;       // 204 to a boot PATCH that changes nothing (a BMC that lies)
    private volatile int garbageNext;               // 200 with a body that is not JSON

    public RedfishServer(Path mockup, String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        try (Stream<Path> files = Files.walk(mockup)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("index.json")).toList()) {
                String rel = mockup.relativize(f.getParent()).toString();
                String path = rel.isEmpty() ? "/redfish/v1" : "/redfish/v1/" + rel;
                resources.put(path, (ObjectNode) JSON.readTree(f.toFile()));
            }
        }
        ObjectNode cd = resources.get(CD);
        ObjectNode actions = cd.putObject("Actions");
        actions.putObject("#VirtualMedia.InsertMedia").put("target", CD + "/Actions/VirtualMedia.InsertMedia");
        actions.putObject("#VirtualMedia.EjectMedia").put("target", CD + "/Actions/VirtualMedia.EjectMedia");
        cd.put("Inserted", false);
        cd.putNull("Image");
    }

    public RedfishServer start() throws Exception {
        http = vertx.createHttpServer().requestHandler(this::serve);
        http.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + http.actualPort();
    }

    private void serve(HttpServerRequest req) {
        req.body().onSuccess(body -> vertx.executeBlocking(() -> {
            HttpExchange x = new HttpExchange(req.method().name(), req.path(), req.headers(), body.getBytes());
            handle(x);
            return x;
        }, false).onComplete(done -> {
            HttpExchange x = done.result();
            if (x == null) {
                req.response().setStatusCode(500).end();
                return;
            }
            x.responseHeaders.forEach(req.response()::putHeader);
            req.response().setStatusCode(x.status);
            req.response().end(x.response == null ? Buffer.buffer() : Buffer.buffer(x.response));
        }));
    }

    // --- state and faults, for tests ------------------------------------------------------------

    public String powerState() {
        return resources.get(SYSTEM).path("PowerState").asText();
    }

    public void powerState(String state) {
        resources.get(SYSTEM).put("PowerState", state);
    }

    public JsonNode boot() {
        return resources.get(SYSTEM).path("Boot").deepCopy();
    }

    public JsonNode virtualMedia() {
        return resources.get(CD).deepCopy();
    }

    public List<String> resets() {
        synchronized (resets) {
            return List.copyOf(resets);
        }
    }

    public int openSessions() {
        return sessions.size();
    }

    public int requests() {
        return requests.get();
    }

    public int patches() {
        return patches.get();
    }

    /** Method and path of every request, in order. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    public void identity(String manufacturer, String model) {
        resources.get(SYSTEM).put("Manufacturer", manufacturer).put("Model", model);
    }

    public void removeResetType(String type) {
        ArrayNode allowed = (ArrayNode) resources.get(SYSTEM).path("Actions").path("#ComputerSystem.Reset")
                .path("ResetType@Redfish.AllowableValues");
        for (Iterator<JsonNode> it = allowed.iterator(); it.hasNext();) {
            if (it.next().asText().equals(type)) {
                it.remove();
            }
        }
    }

    public void addResetType(String type) {
        ((ArrayNode) resources.get(SYSTEM).path("Actions").path("#ComputerSystem.Reset").path("ResetType@Redfish.AllowableValues"))
                .add(type);
    }

    public void failNext(int n, int status) {
        failStatus = status;
        failNext = n;
    }

    public void delayNext(int n, long millis) {
        delayMillis = millis;
        delayNext = n;
    }

    public void requireIfMatch(boolean v) {
        requireIfMatch = v;
    }

    public void strongEtagOnly(boolean v) {
        strongEtagOnly = v;
    }

    public void refuseModeInPatch(boolean v) {
        refuseModeInPatch = v;
    }

    public void revertModeUnlessSent(boolean v) {
        revertModeUnlessSent = v;
    }

    public void noContinuous(boolean v) {
        noContinuous = v;
    }

    public void maxSessions(int n) {
        maxSessions = n;
    }

    public void resetAsTask(boolean v, int polls) {
        resetAsTask = v;
        taskPollsNeeded = polls;
    }

    public void transientResetRefusals(int n) {
        transientResetRefusals = n;
    }

    public void noSessionService(boolean v) {
        noSessionService = v;
    }

    public void ignoreBootPatch(boolean v) {
        ignoreBootPatch = v;
    }

    public void garbageNext(int n) {
        garbageNext = n;
    }

    // --- the service -----------------------------------------------------------------------------

    private void handle(HttpExchange x) {
        try (x) {
            requests.incrementAndGet();
            String method = x.method;
            String path = x.path.replaceAll("/+$", "");
            log.add(method + " " + path);
            if (delayNext > 0) {
                delayNext--;
                sleep(delayMillis);
            }
            if (failNext > 0) {
                failNext--;
                send(x, failStatus, error("Base.1.0.InternalError", "injected fault"));
                return;
            }
            if (garbageNext > 0 && !path.equals("/redfish/v1")) {
                garbageNext--;
                x.status = 200;
                x.responseHeaders.put("Content-Type", "application/json");
                x.response = "<html>Service Unavailable</html>".getBytes(StandardCharsets.UTF_8);
                return;
            }
            if (path.equals("/redfish/v1") || path.equals("/redfish")) {
                send(x, 200, path.equals("/redfish") ? JSON.createObjectNode().put("v1", "/redfish/v1/") : resources.get("/redfish/v1"));
                return;
            }
            if (path.equals("/redfish/v1/SessionService/Sessions") && method.equals("POST")) {
                login(x);
                return;
            }
            if (!authorized(x)) {
                x.responseHeaders.put("WWW-Authenticate", "Basic realm=\"redfish\"");
                send(x, 401, error("Base.1.0.NoValidSession", "no valid session or credentials"));
                return;
            }
            switch (method) {
                case "GET" -> get(x, path);
                case "PATCH" -> patch(x, path);
                case "POST" -> post(x, path);
                case "DELETE" -> delete(x, path);
                default -> send(x, 405, error("Base.1.0.OperationNotAllowed", method));
            }
        } catch (RuntimeException | Error | IOException e) {
            e.printStackTrace();
            // Never a dead server thread: a 500 the client has to handle.
            x.status = 500;
        }
    }

    private void login(HttpExchange x) throws IOException {
        if (noSessionService) {
            send(x, 404, error("Base.1.0.ResourceMissingAtURI", "no SessionService"));
            return;
        }
        JsonNode body = JSON.readTree(x.body.length == 0 ? "{}".getBytes() : x.body);
        if (!user.equals(body.path("UserName").asText()) || !password.equals(body.path("Password").asText())) {
            send(x, 401, error("Base.1.0.NoValidSession", "invalid credentials"));
            return;
        }
        if (sessions.size() >= maxSessions) {
            send(x, 503, error("Base.1.0.SessionLimitExceeded", "RAC0218: The maximum number of user sessions is reached"));
            return;
        }
        String id = Integer.toString(sessionSeq.incrementAndGet());
        String token = UUID.randomUUID().toString();
        String location = "/redfish/v1/SessionService/Sessions/" + id;
        sessions.put(token, location);
        x.responseHeaders.put("X-Auth-Token", token);
        x.responseHeaders.put("Location", location);
        send(x, 201, JSON.createObjectNode().put("@odata.id", location).put("Id", id).put("UserName", user));
    }

    private boolean authorized(HttpExchange x) {
        String token = x.requestHeaders.get("X-Auth-Token");
        if (token != null) {
            return sessions.containsKey(token);
        }
        String basic = x.requestHeaders.get("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
            return pair.equals(user + ":" + password);
        }
        return false;
    }

    private void get(HttpExchange x, String path) throws IOException {
        if (path.startsWith("/redfish/v1/TaskService/Tasks/")) {
            AtomicInteger polls = taskPolls.get(path);
            if (polls == null) {
                send(x, 404, error("Base.1.0.ResourceMissingAtURI", path));
            } else if (polls.incrementAndGet() < taskPollsNeeded) {
                x.responseHeaders.put("Location", path);
                x.responseHeaders.put("Retry-After", "0");
                send(x, 202, JSON.createObjectNode().put("TaskState", "Running").put("PercentComplete", 50));
            } else {
                send(x, 200, JSON.createObjectNode().put("TaskState", "Completed").put("TaskStatus", "OK"));
            }
            return;
        }
        ObjectNode r = resources.get(path);
        if (r == null) {
            send(x, 404, error("Base.1.0.ResourceMissingAtURI", path));
            return;
        }
        ObjectNode copy = r.deepCopy();
        if (path.equals(SYSTEM)) {
            String etag = etag();
            copy.put("@odata.etag", etag);
            x.responseHeaders.put("ETag", etag);
        }
        send(x, 200, copy);
    }

    private void patch(HttpExchange x, String path) throws IOException {
        if (!path.equals(SYSTEM)) {
            send(x, 405, error("Base.1.0.OperationNotAllowed", "PATCH " + path));
            return;
        }
        patches.incrementAndGet();
        String ifMatch = x.requestHeaders.get("If-Match");
        if (ifMatch == null && requireIfMatch) {
            send(x, 428, error("Base.1.0.PreconditionRequired", "If-Match is required"));
            return;
        }
        if (ifMatch != null && !ifMatch.equals("*")) {
            String current = etag();
            boolean matches = strongEtagOnly ? ifMatch.equals(current.substring(2)) : ifMatch.equals(current)
                    || ifMatch.equals(current.substring(2));
            if (!matches) {
                send(x, 412, error("Base.1.0.PreconditionFailed", "ETag mismatch"));
                return;
            }
        }
        JsonNode body = JSON.readTree(x.body.length == 0 ? "{}".getBytes() : x.body);
        JsonNode boot = body.path("Boot");
        if (!boot.isObject()) {
            send(x, 400, error("Base.1.0.PropertyUnknown", "only Boot can be changed here"));
            return;
        }
        if (refuseModeInPatch && boot.has("BootSourceOverrideMode")) {
            send(x, 400, error("Base.1.0.PropertyNotWritable", "BootSourceOverrideMode"));
            return;
        }
        ObjectNode current = (ObjectNode) resources.get(SYSTEM).path("Boot");
        JsonNode target = boot.path("BootSourceOverrideTarget");
        if (!target.isMissingNode()) {
            boolean allowed = false;
            for (JsonNode v : current.path("BootSourceOverrideTarget@Redfish.AllowableValues")) {
                allowed |= v.asText().equals(target.asText());
            }
            if (!allowed) {
                send(x, 400, error("Base.1.0.PropertyValueNotInList", "BootSourceOverrideTarget " + target.asText()));
                return;
            }
        }
        String enabled = boot.path("BootSourceOverrideEnabled").asText("");
        if (noContinuous && enabled.equals("Continuous")) {
            send(x, 400, error("Base.1.0.PropertyValueNotInList", "BootSourceOverrideEnabled Continuous"));
            return;
        }
        if (ignoreBootPatch) {
            send(x, 204, null);
            return;
        }
        boot.fields().forEachRemaining(e -> current.set(e.getKey(), e.getValue()));
        if (revertModeUnlessSent && !boot.has("BootSourceOverrideMode")) {
            current.put("BootSourceOverrideMode", "Legacy");
        }
        version.incrementAndGet();
        send(x, 204, null);
    }

    private void post(HttpExchange x, String path) throws IOException {
        JsonNode body = JSON.readTree(x.body.length == 0 ? "{}".getBytes() : x.body);
        if (path.equals(SYSTEM + "/Actions/ComputerSystem.Reset")) {
            reset(x, body);
        } else if (path.equals(CD + "/Actions/VirtualMedia.InsertMedia")) {
            if (!body.path("Image").isTextual()) {
                send(x, 400, error("Base.1.0.ActionParameterMissing", "Image"));
                return;
            }
            resources.get(CD).put("Image", body.path("Image").asText()).put("Inserted", true);
            send(x, 204, null);
        } else if (path.equals(CD + "/Actions/VirtualMedia.EjectMedia")) {
            resources.get(CD).putNull("Image").put("Inserted", false);
            send(x, 204, null);
        } else {
            send(x, 404, error("Base.1.0.ResourceMissingAtURI", path));
        }
    }

    private void reset(HttpExchange x, JsonNode body) throws IOException {
        String type = body.path("ResetType").asText();
        boolean allowed = false;
        for (JsonNode v : resources.get(SYSTEM).path("Actions").path("#ComputerSystem.Reset").path("ResetType@Redfish.AllowableValues")) {
            allowed |= v.asText().equals(type);
        }
        if (!allowed) {
            send(x, 400, error("Base.1.0.ActionParameterNotSupported", "ResetType " + type));
            return;
        }
        if (transientResetRefusals > 0) {
            transientResetRefusals--;
            send(x, 409, error("Base.1.0.ResourceInUse", "SYS518: An internal error occurred; system is in POST"));
            return;
        }
        resets.add(type);
        String state = switch (type) {
            case "On", "ForceOn", "ForceRestart", "GracefulRestart", "PowerCycle" -> "On";
            case "ForceOff", "GracefulShutdown" -> "Off";
            case "PushPowerButton" -> powerState().equals("On") ? "Off" : "On";
            default -> powerState();
        };
        powerState(state);
        version.incrementAndGet();
        if (resetAsTask) {
            String task = "/redfish/v1/TaskService/Tasks/" + UUID.randomUUID();
            taskPolls.put(task, new AtomicInteger());
            x.responseHeaders.put("Location", task);
            send(x, 202, JSON.createObjectNode().put("@odata.id", task).put("TaskState", "Running"));
            return;
        }
        send(x, 204, null);
    }

    private void delete(HttpExchange x, String path) throws IOException {
        if (path.startsWith("/redfish/v1/SessionService/Sessions/") && sessions.values().remove(path)) {
            send(x, 204, null);
            return;
        }
        send(x, 404, error("Base.1.0.ResourceMissingAtURI", path));
    }

    private String etag() {
        return "W/\"" + version.get() + "\"";
    }

    private static Path mockup() {
        try {
            return Path.of(RedfishServer.class.getResource("/redfish/public-rackmount1").toURI());
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("the Redfish mockup is missing from the test resources", e);
        }
    }

    static ObjectNode error(String id, String message) {
        ObjectNode e = JSON.createObjectNode();
        ObjectNode inner = e.putObject("error");
        inner.put("code", id).put("message", message);
        inner.putArray("@Message.ExtendedInfo").addObject().put("MessageId", id).put("Message", message);
        return e;
    }

    private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
        x.status = status;
        x.responseHeaders.put("OData-Version", "4.0");
        if (body != null) {
            x.responseHeaders.put("Content-Type", "application/json");
            x.response = JSON.writeValueAsBytes(body);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
