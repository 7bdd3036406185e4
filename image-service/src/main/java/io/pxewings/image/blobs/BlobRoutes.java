package io.pxewings.image.blobs;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.http.ByteRanges;
import io.pxewings.common.problem.Problem;
import io.pxewings.image.cache.PullThrough;
import io.pxewings.image.config.ImageConfig;
import io.pxewings.image.store.BlobStore;
import io.pxewings.image.store.Digest;
import io.pxewings.image.store.DiskFull;
import io.pxewings.image.uploads.Uploads;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The blob API, on Vert.x routes so bodies stream (a REST endpoint would buffer a whole image):
 * <ul>
 * <li>{@code POST /api/v1/blobs/uploads} opens an upload: 202, {@code Location}.</li>
 * <li>{@code PATCH /api/v1/blobs/uploads/{id}} appends a chunk ({@code Content-Range: <first>-<last>},
 * optional; it must start where the upload stands): 202 with {@code Range: 0-<last>}; a gap or
 * an overlap is 416 with the upload's {@code Range}.</li>
 * <li>{@code PUT /api/v1/blobs/uploads/{id}?digest=sha256:...} completes it (a last chunk may come
 * with it): 201 and the blob's {@code Location}; another digest is 400, and the upload is gone.</li>
 * <li>{@code GET /api/v1/blobs/uploads/{id}} says how far it is (204, {@code Range}); {@code DELETE} cancels.</li>
 * <li>{@code GET|HEAD /api/v1/blobs/sha256:<hex>}: the blob, sent with sendfile; {@code ETag} is the
 * digest, {@code If-None-Match} gives 304, one {@code Range} gives 206.</li>
 * </ul>
 * Every error is problem+json.
 */
@ApplicationScoped
public class BlobRoutes {

    private static final Logger LOG = Logger.getLogger(BlobRoutes.class);
    static final String BLOBS = "/api/v1/blobs/";
    static final String UPLOADS = "/api/v1/blobs/uploads";

    @Inject
    ImageConfig config;

    @Inject
    Vertx vertx;

    /** Uploads' SHA-256, off the event loop (HashingWriteStream). */
    private io.vertx.core.WorkerExecutor hasher;

    @Inject
    MeterRegistry registry;

    @Inject
    PullThrough pullThrough;

    private BlobStore store;
    private Uploads uploads;
    private Counter bytesIn;
    private Counter bytesOut;
    private Counter cacheHits;
    private Counter diskFull;

    void start(@Observes StartupEvent e) throws IOException {
        store = new BlobStore(java.nio.file.Path.of(config.blobStore()));
        uploads = new Uploads(store);
        bytesIn = Counter.builder("wings_image_bytes_in").baseUnit("bytes").description("Upload bytes received").register(registry);
        cacheHits = Counter.builder("wings_image_cache_hits").description("Blobs asked for and already in the site cache")
                .register(registry);
        bytesOut = Counter.builder("wings_image_bytes_out").baseUnit("bytes").description("Blob bytes sent").register(registry);
        Gauge.builder("wings_image_uploads_in_progress", uploads, Uploads::inProgress).description("Uploads open").register(registry);
        Gauge.builder("wings_image_store_usable_bytes", store, BlobStore::usableBytes).baseUnit("bytes")
                .description("Bytes the blob store's disk can still take").register(registry);
        diskFull = Counter.builder("wings_image_store_disk_full").tag("write", "upload")
                .description("Writes refused because the blob store's disk was full").register(registry);
        hasher = vertx.createSharedWorkerExecutor("image-upload-hash", 2);
        vertx.setPeriodic(60_000, t -> vertx.executeBlocking(() -> uploads.expire(config.uploadTimeout()), false));
        LOG.infof("blob store %s", store.root());
    }

    public BlobStore store() {
        return store;
    }

    public Uploads uploads() {
        return uploads;
    }

    void routes(@Observes Router router) {
        router.route().order(-100).handler(ctx -> {
            String path = ctx.request().path();
            if (path == null || !path.startsWith(BLOBS.substring(0, BLOBS.length() - 1))) {
                ctx.next();
                return;
            }
            HttpMethod m = ctx.request().method();
            if (path.equals(UPLOADS) && m == HttpMethod.POST) {
                open(ctx);
            } else if (path.startsWith(UPLOADS + "/")) {
                String id = path.substring(UPLOADS.length() + 1);
                if (!id.matches("[0-9a-f-]{36}")) {
                    problem(ctx, 404, "Not Found", "no upload " + id);
                } else if (m == HttpMethod.PATCH) {
                    chunk(ctx, id, false);
                } else if (m == HttpMethod.PUT) {
                    chunk(ctx, id, true);
                } else if (m == HttpMethod.GET) {
                    status(ctx, id);
                } else if (m == HttpMethod.DELETE) {
                    cancel(ctx, id);
                } else {
                    ctx.response().putHeader(HttpHeaders.ALLOW, "PATCH, PUT, GET, DELETE");
                    problem(ctx, 405, "Method Not Allowed", m + " " + path);
                }
            } else if (path.startsWith(BLOBS) && (m == HttpMethod.GET || m == HttpMethod.HEAD)) {
                // Clients may percent-encode the digest's colon (RFC 3986 allows it either way).
                download(ctx, path.substring(BLOBS.length()).replace("%3A", ":").replace("%3a", ":"));
            } else {
                ctx.next();
            }
        });
    }

    private void open(RoutingContext ctx) {
        vertx.executeBlocking(uploads::open, false).onComplete(r -> {
            if (r.failed()) {
                problem(ctx, 500, "Internal Server Error", "the upload could not be opened: " + r.cause().getMessage());
                return;
            }
            ctx.response().setStatusCode(202).putHeader(HttpHeaders.LOCATION, UPLOADS + "/" + r.result())
                    .putHeader("Range", "0-0").putHeader("Docker-Upload-UUID", r.result()).end();
        });
    }

    /** A chunk (PATCH), or the last one and the digest (PUT). */
    /** Bytes an upload may have queued for its file: bounded memory per upload, and few pauses. */
    static final int UPLOAD_WRITE_QUEUE = 4 << 20;

    private void chunk(RoutingContext ctx, String id, boolean complete) {
        HttpServerRequest req = ctx.request();
        req.pause();
        Long start;
        try {
            start = contentRangeStart(req.getHeader("Content-Range"));
        } catch (IllegalArgumentException bad) {
            problem(ctx, 400, "Bad Request", bad.getMessage());
            return;
        }
        Digest expected = null;
        if (complete) {
            try {
                expected = Digest.parse(req.getParam("digest"));
            } catch (IllegalArgumentException bad) {
                problem(ctx, 400, "Bad Request", "digest: " + bad.getMessage());
                return;
            }
        }
        Uploads.Chunk chunk;
        try {
            chunk = uploads.begin(id, start);
        } catch (Uploads.OutOfOrder o) {
            ctx.response().putHeader("Range", range(o.offset));
            problem(ctx, 416, "Range Not Satisfiable", o.getMessage());
            return;
        }
        if (chunk == null) {
            problem(ctx, 404, "Not Found", "no upload " + id + " (completed, cancelled, or abandoned)");
            return;
        }
        Digest digest = expected;
        vertx.fileSystem().open(chunk.file().toString(), new OpenOptions().setWrite(true).setCreate(false).setAppend(true))
                .onFailure(err -> failed(ctx, chunk, 500, "Internal Server Error", "the upload's file: " + err.getMessage()))
                .onSuccess(file -> {
                    // Up to 4 MiB in flight to the file: with AsyncFile's 128 KiB default the request paused
                    // after every few buffers, and an upload ran at a quarter of the hashing rate (docs/benchmarks.md).
                    file.setWriteQueueMaxSize(UPLOAD_WRITE_QUEUE);
                    HashingWriteStream sink = new HashingWriteStream(file, chunk.digest(), hasher);
                    // Only now, with the range and the session checked, ask for the body: curl sends
                    // "Expect: 100-continue" for bodies over 1 MiB and waits a second for the answer
                    // (RFC 9110 section 10.1.1), which cost each 64 MiB chunk a second (docs/benchmarks.md).
                    if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
                        ctx.put(CONTINUED, Boolean.TRUE);
                        ctx.response().writeContinue();
                    }
                    req.resume();
                    // pipeTo ends (flushes and closes) the file when the body is done, or broke off.
                    req.pipeTo(sink).onComplete(piped -> {
                        bytesIn.increment(sink.written());
                        if (piped.failed() && DiskFull.is(piped.cause())) {
                            diskFull.increment();
                            failed(ctx, chunk, 507, "Insufficient Storage", "the blob store's disk is full (" + store.usableBytes()
                                    + " bytes free in " + store.root() + ") after " + sink.written() + " bytes of the chunk");
                            return;
                        }
                        if (piped.failed()) {
                            failed(ctx, chunk, 400, "Bad Request",
                                    "the chunk broke off after " + sink.written() + " bytes: " + piped.cause().getMessage());
                            return;
                        }
                        try {
                            uploads.chunkDone(chunk, sink.written(), true);
                        } catch (IOException e) {
                            problem(ctx, 500, "Internal Server Error", e.getMessage());
                            return;
                        }
                        if (!complete) {
                            long at = chunk.offset() + sink.written();
                            ctx.response().setStatusCode(202).putHeader(HttpHeaders.LOCATION, UPLOADS + "/" + id)
                                    .putHeader("Range", range(at)).end();
                            return;
                        }
                        finish(ctx, id, digest);
                    });
                });
    }

    private void finish(RoutingContext ctx, String id, Digest expected) {
        vertx.executeBlocking(() -> uploads.complete(id, expected), false).onComplete(r -> {
            if (r.failed()) {
                if (r.cause() instanceof Uploads.DigestMismatch m) {
                    problem(ctx, 400, "Bad Request", "digest: " + m.getMessage());
                } else {
                    problem(ctx, 500, "Internal Server Error", r.cause().getMessage());
                }
                return;
            }
            if (r.result() == null) {
                problem(ctx, 404, "Not Found", "no upload " + id);
                return;
            }
            ctx.response().setStatusCode(201).putHeader(HttpHeaders.LOCATION, BLOBS + r.result())
                    .putHeader("Docker-Content-Digest", r.result().toString()).end();
        });
    }

    private void failed(RoutingContext ctx, Uploads.Chunk chunk, int status, String title, String why) {
        try {
            uploads.chunkDone(chunk, 0, false);
        } catch (IOException e) {
            LOG.warnf("upload %s: %s", chunk.id(), e.getMessage());
        }
        if (!ctx.response().ended() && !ctx.response().closed()) {
            problem(ctx, status, title, why + "; the upload stands at its last whole chunk (GET it for its Range)");
        }
    }

    private void status(RoutingContext ctx, String id) {
        var at = uploads.offset(id);
        if (at.isEmpty()) {
            problem(ctx, 404, "Not Found", "no upload " + id);
            return;
        }
        ctx.response().setStatusCode(204).putHeader(HttpHeaders.LOCATION, UPLOADS + "/" + id).putHeader("Range", range(at.get())).end();
    }

    private void cancel(RoutingContext ctx, String id) {
        vertx.executeBlocking(() -> uploads.cancel(id), false).onComplete(r -> {
            if (r.succeeded() && r.result()) {
                ctx.response().setStatusCode(204).end();
            } else {
                problem(ctx, 404, "Not Found", "no upload " + id);
            }
        });
    }

    private void download(RoutingContext ctx, String raw) {
        Digest d;
        try {
            d = Digest.parse(raw);
        } catch (IllegalArgumentException bad) {
            problem(ctx, 400, "Bad Request", "blob: " + bad.getMessage());
            return;
        }
        if (!store.has(d)) {
            if (pullThrough.enabled()) {
                // A site cache: fetch it once from upstream, verified, then serve it.
                pullThrough.fetch(store, d).onComplete(r -> {
                    if (r.succeeded() && store.has(d)) {
                        serve(ctx, d);
                    } else {
                        if (r.failed() && DiskFull.is(r.cause())) {
                            problem(ctx, 507, "Insufficient Storage", r.cause().getMessage());
                            return;
                        }
                        problem(ctx, r.failed() ? 502 : 404, r.failed() ? "Bad Gateway" : "Not Found",
                                r.failed() ? "upstream: " + r.cause().getMessage() : "no blob " + d);
                    }
                });
                return;
            }
            problem(ctx, 404, "Not Found", "no blob " + d);
            return;
        }
        if (pullThrough.enabled()) {
            cacheHits.increment();
        }
        serve(ctx, d);
    }

    private void serve(RoutingContext ctx, Digest d) {
        HttpServerRequest req = ctx.request();
        HttpServerResponse res = ctx.response();
        long size = store.size(d).orElse(-1L);
        if (size < 0) {
            problem(ctx, 404, "Not Found", "no blob " + d);
            return;
        }
        store.touch(d);
        String etag = "\"" + d + "\"";
        res.putHeader(HttpHeaders.ETAG, etag).putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
                .putHeader("Docker-Content-Digest", d.toString())
                // Content-addressed: a blob never changes under its name.
                .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable");
        String inm = req.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (inm != null && (inm.trim().equals("*") || inm.replace("W/", "").contains(etag))) {
            res.setStatusCode(304).end();
            return;
        }
        String ifRange = req.getHeader("If-Range");
        ByteRanges.Answer answer = req.method() == HttpMethod.GET && (ifRange == null || ifRange.equals(etag))
                ? ByteRanges.of(req.getHeader("Range"), size) : new ByteRanges.Whole();
        if (answer instanceof ByteRanges.TooMany || answer instanceof ByteRanges.Unsatisfiable) {
            res.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
            problem(ctx, 416, "Range Not Satisfiable", "one range within the blob's " + size + " bytes");
            return;
        }
        ByteRanges.Slice slice = ByteRanges.slice(answer, size);
        if (slice.contentRange() != null) {
            res.putHeader(HttpHeaders.CONTENT_RANGE, slice.contentRange());
        }
        res.setStatusCode(slice.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
        if (req.method() == HttpMethod.HEAD) {
            res.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(slice.length())).end();
            return;
        }
        AtomicBoolean counted = new AtomicBoolean();
        res.endHandler(v -> {
            if (counted.compareAndSet(false, true)) {
                bytesOut.increment(res.bytesWritten());
            }
        });
        res.sendFile(store.path(d).toString(), slice.offset(), slice.length());
    }

    /** {@code Content-Range: <first>-<last>} (OCI) or {@code bytes <first>-<last>/<size|*>} (RFC 9110): the first byte. */
    static Long contentRangeStart(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        if (h.startsWith("bytes ")) {
            h = h.substring(6);
        }
        int dash = h.indexOf('-');
        try {
            if (dash <= 0) {
                throw new NumberFormatException();
            }
            long first = Long.parseLong(h.substring(0, dash));
            if (first < 0) {
                throw new NumberFormatException();
            }
            return first;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Content-Range: '" + header + "' is not <first>-<last>");
        }
    }

    /** The upload's extent as the OCI spec writes it: {@code 0-<last byte>} ({@code 0-0} when empty). */
    static String range(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    /** Set once a 100 Continue was sent: from then on the body comes, and a refusal drains it first. */
    private static final String CONTINUED = "wings.continued";

    private static void problem(RoutingContext ctx, int status, String title, String detail) {
        HttpServerResponse res = ctx.response();
        if (res.ended() || res.closed()) {
            return;
        }
        if (ctx.request().isEnded()) {
            send(res, ctx.request().path(), status, title, detail);
        } else if ("100-continue".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT)) && ctx.get(CONTINUED) == null) {
            // The client waits for a 100 before its body: answer now, and close, since the body it may
            // still send will not be read (RFC 9110 section 10.1.1).
            res.putHeader(HttpHeaders.CONNECTION, "close");
            send(res, ctx.request().path(), status, title, detail);
        } else {
            // Drain what the client is still sending, then answer (a client cut off mid-body sees a reset instead).
            ctx.request().resume();
            ctx.request().endHandler(v -> send(res, ctx.request().path(), status, title, detail));
        }
    }

    private static void send(HttpServerResponse res, String path, int status, String title, String detail) {
        if (!res.ended() && !res.closed()) {
            res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Json.encode(new Problem("about:blank", title, status, detail, path)));
        }
    }
}
