package io.pxewings.bmc.redfish;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.pxewings.bmc.bmc.BmcCredentials;
import io.pxewings.bmc.bmc.BmcException;

/**
 * HTTP to one Redfish service (DMTF DSP0266): one session, created on first use with
 * {@code POST SessionService/Sessions} and reused ({@code X-Auth-Token}), created again when the
 * BMC forgets it (401), deleted on {@link #logout()}. Basic authentication when the service has
 * no session service or is out of sessions (a 503 at login: iDRAC's RAC0218, Supermicro's 16).
 *
 * <p>Transient answers (connection refused or reset, a timeout, 5xx but 501, 409 "in use", 429)
 * are retried with a doubling backoff up to {@code attempts}, honouring {@code Retry-After}. A
 * request can carry {@code If-Match}. Bodies over {@link #MAX_BODY} or that are not JSON are a
 * {@code bad-answer} failure, never a crash. Credentials never reach an exception message.
 */
public final class RedfishHttp {

    /** A BMC's resources are a few KiB; anything near this is not a Redfish answer. */
    static final int MAX_BODY = 4 << 20;
    static final ObjectMapper JSON = new ObjectMapper();

    /** What came back: status, headers that matter, and the JSON body (MissingNode when none). */
    public record Response(int status, Optional<String> etag, Optional<String> location, Optional<Long> retryAfterSeconds,
                           JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The first Redfish message id of an error body, or "". */
        public String messageId() {
            JsonNode info = body.path("error").path("@Message.ExtendedInfo");
            String id = info.isArray() && info.size() > 0 ? info.get(0).path("MessageId").asText("") : "";
            return id.isEmpty() ? body.path("error").path("code").asText("") : id;
        }

        /** A short description of an error answer, for failure reasons. */
        public String describe() {
            JsonNode info = body.path("error").path("@Message.ExtendedInfo");
            String message = info.isArray() && info.size() > 0 ? info.get(0).path("Message").asText("")
                    : body.path("error").path("message").asText("");
            return "HTTP " + status + (messageId().isEmpty() ? "" : " " + messageId()) + (message.isEmpty() ? "" : ": " + cut(message));
        }
    }

    /**
     * @param attempts  tries per request for transient answers
     * @param backoff   first wait between tries, doubled each time (capped at 30 s)
     * @param timeout   one request's time limit
     */
    public record Settings(int attempts, Duration backoff, Duration timeout) {
    }

    private final URI base;
    private final BmcCredentials credentials;
    private final Settings settings;
    private final HttpClient client;
    private final ScheduledExecutorService timer;
    private volatile String token;
    private volatile String sessionUri;
    private volatile boolean basicOnly;

    public RedfishHttp(URI base, BmcCredentials credentials, Settings settings, HttpClient client, ScheduledExecutorService timer) {
        this.base = base;
        this.credentials = credentials;
        this.settings = settings;
        this.client = client;
        this.timer = timer;
    }

    public URI base() {
        return base;
    }

    public CompletableFuture<Response> get(String path) {
        return send("GET", path, null, null);
    }

    public CompletableFuture<Response> send(String method, String path, JsonNode body, String ifMatch) {
        return attempt(method, path, body, ifMatch, 1, settings.backoff().toMillis(), false);
    }

    /** True while a session token is held (for tests and the API's BMC view). */
    public boolean hasSession() {
        return token != null;
    }

    /** Deletes the session on the BMC; idempotent, best effort. */
    public CompletableFuture<Void> logout() {
        String t = token;
        String uri = sessionUri;
        token = null;
        sessionUri = null;
        if (t == null || uri == null) {
            return CompletableFuture.completedFuture(null);
        }
        HttpRequest r = HttpRequest.newBuilder(resolve(uri)).timeout(settings.timeout()).header("X-Auth-Token", t).DELETE().build();
        return client.sendAsync(r, HttpResponse.BodyHandlers.discarding()).handle((v, e) -> null);
    }

    private CompletableFuture<Response> attempt(String method, String path, JsonNode body, String ifMatch, int n, long waitMillis,
                                                boolean reLoggedIn) {
        return auth().thenCompose(auth -> exchange(method, path, body, ifMatch, auth)).handle((r, e) -> {
            if (e == null && r.status() == 401 && token != null && !reLoggedIn) {
                // The BMC forgot the session (restart, timeout): log in again, once.
                token = null;
                return attempt(method, path, body, ifMatch, n, waitMillis, true);
            }
            boolean transientFailure = e != null ? transientError(unwrap(e)) : transientStatus(r);
            if (transientFailure && n < settings.attempts()) {
                long wait = r != null && r.retryAfterSeconds().isPresent()
                        ? Math.min(r.retryAfterSeconds().get() * 1000, 30_000) : waitMillis;
                return delay(wait).thenCompose(v -> attempt(method, path, body, ifMatch, n + 1, Math.min(waitMillis * 2, 30_000),
                        reLoggedIn));
            }
            if (e != null) {
                Throwable c = unwrap(e);
                if (c instanceof BmcException b) {
                    return CompletableFuture.<Response>failedFuture(b);
                }
                return CompletableFuture.<Response>failedFuture(new BmcException("unreachable", "Redfish " + base + ": " + method + " "
                        + path + " failed after " + n + " tries: " + describe(c)));
            }
            return CompletableFuture.completedFuture(r);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Response> exchange(String method, String path, JsonNode body, String ifMatch, Map.Entry<String, String> auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve(path)).timeout(settings.timeout())
                .header("Accept", "application/json").header("OData-Version", "4.0").header(auth.getKey(), auth.getValue());
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        byte[] bytes = body == null ? null : json(body);
        if (bytes != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(this::read);
    }

    /** The header that authenticates: a session token, logging in first when there is none. */
    private CompletableFuture<Map.Entry<String, String>> auth() {
        String t = token;
        if (t != null) {
            return CompletableFuture.completedFuture(Map.entry("X-Auth-Token", t));
        }
        if (basicOnly) {
            return CompletableFuture.completedFuture(basic());
        }
        byte[] login = json(JSON.createObjectNode().put("UserName", credentials.user()).put("Password", credentials.passwordText()));
        HttpRequest r = HttpRequest.newBuilder(resolve("/redfish/v1/SessionService/Sessions")).timeout(settings.timeout())
                .header("Content-Type", "application/json").header("Accept", "application/json").header("OData-Version", "4.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(login)).build();
        return client.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray()).thenApply(resp -> {
            Optional<String> tok = resp.headers().firstValue("X-Auth-Token");
            if (resp.statusCode() / 100 == 2 && tok.isPresent()) {
                token = tok.get();
                sessionUri = resp.headers().firstValue("Location").orElse(read(resp).body().path("@odata.id").asText(null));
                return Map.entry("X-Auth-Token", token);
            }
            if (resp.statusCode() == 401 || resp.statusCode() == 403) {
                throw new BmcException("auth-failed", "Redfish " + base + " refused user '" + credentials.user() + "': " + read(resp).describe());
            }
            // No session service (404/405), or no session left (503, 429): basic authentication.
            basicOnly = resp.statusCode() == 404 || resp.statusCode() == 405;
            return basic();
        });
    }

    private Map.Entry<String, String> basic() {
        String pair = credentials.user() + ":" + credentials.passwordText();
        return Map.entry("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    private Response read(HttpResponse<byte[]> r) {
        byte[] b = r.body();
        JsonNode body = MissingNode.getInstance();
        if (b != null && b.length > 0) {
            if (b.length > MAX_BODY) {
                throw new BmcException("bad-answer", "Redfish " + base + ": a body of " + b.length + " bytes");
            }
            try {
                body = JSON.readTree(b);
            } catch (IOException e) {
                if (r.statusCode() / 100 == 2) {
                    throw new BmcException("bad-answer", "Redfish " + base + " answered " + r.statusCode() + " with a body that is not JSON");
                }
            }
            if (body == null) {
                body = MissingNode.getInstance();
            }
        }
        Optional<Long> retryAfter = r.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        return new Response(r.statusCode(), r.headers().firstValue("ETag"), r.headers().firstValue("Location"), retryAfter, body);
    }

    private static boolean transientStatus(Response r) {
        int s = r.status();
        return s == 409 || s == 429 || (s >= 500 && s != 501);
    }

    private static boolean transientError(Throwable e) {
        return e instanceof IOException || e instanceof HttpTimeoutException;
    }

    private CompletableFuture<Void> delay(long millis) {
        Executor later = r -> timer.schedule(r, millis, TimeUnit.MILLISECONDS);
        return CompletableFuture.runAsync(() -> { }, later);
    }

    private URI resolve(String path) {
        return path.startsWith("http://") || path.startsWith("https://") ? URI.create(path) : base.resolve(path);
    }

    private static byte[] json(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + cut(m));
    }

    static String cut(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
