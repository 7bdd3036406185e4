package io.pxewings.httpboot.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.bootloaders.Bootloaders;
import io.pxewings.common.http.ByteRanges;
import io.pxewings.common.edge.LeaseAddresses;
import io.pxewings.common.problem.Problem;
import io.pxewings.events.httpboot.FileServed;
import io.pxewings.httpboot.config.HttpBootConfig;
import io.pxewings.httpboot.facts.HttpBootFacts;
import io.pxewings.httpboot.ipxe.MachineIdentity;
import io.quarkus.runtime.StartupEvent;
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
 * {@code GET|HEAD /files/...}: kernels, initrds, ISOs and EFI binaries from the files root, also
 * the target of UEFI HTTP Boot. A thin Vert.x adapter around {@link FilePaths}, {@link ByteRanges}
 * and {@link Validators}; the body goes out with sendfile (zero copy), never through the heap.
 */
@ApplicationScoped
public class FileRoutes {

    private static final Logger LOG = Logger.getLogger(FileRoutes.class);
    static final String PREFIX = "/files/";

    @Inject
    HttpBootConfig config;

    @Inject
    HttpBootFacts facts;

    @Inject
    LeaseAddresses addresses;

    @Inject
    MeterRegistry registry;

    private FilePaths paths;
    private Counter bytes;

    void start(@Observes StartupEvent event) throws IOException {
        Path root = Files.createDirectories(Path.of(config.filesRoot()));
        // UEFI HTTP Boot's target (dhcp-service hands out <public-url>/files/ipxe.efi): Debian's
        // iPXE builds are there by default, as in tftp-service's root; an operator's own file wins.
        Bootloaders.install(root, Path.of(config.ipxeDir()), config.bootloaders(),
                "wings.http-boot.ipxe-dir, wings.http-boot.bootloaders");
        paths = new FilePaths(root);
        bytes = Counter.builder("wings_http_boot_file_bytes").baseUnit("bytes")
                .description("Boot file body bytes written (ranges and aborted responses included)").register(registry);
        LOG.infof("boot files from %s", paths.root());
    }

    /**
     * Matched on the raw request path, ahead of every other route: Vert.x matches routes on the
     * normalised path, which would turn {@code /files/../x} into {@code /x} before
     * {@link FilePaths} could refuse it.
     */
    void routes(@Observes Router router) {
        router.route().order(-100).handler(ctx -> {
            String path = ctx.request().path();
            if (path == null || !path.startsWith(PREFIX)) {
                ctx.next();
            } else if (ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD) {
                serve(ctx);
            } else {
                outcome(405);
                ctx.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
                problem(ctx.response(), path, 405, "Method Not Allowed", "boot files are read-only: GET or HEAD");
            }
        });
    }

    private void serve(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        HttpServerResponse res = ctx.response();
        long started = System.nanoTime();
        String raw = req.path().substring(PREFIX.length());
        FilePaths.Resolved resolved;
        try {
            resolved = paths.resolve(raw);
        } catch (FilePaths.Refused e) {
            outcome(e.badRequest() ? 400 : 404);
            problem(res, req.path(), e.badRequest() ? 400 : 404, e.badRequest() ? "Bad Request" : "Not Found", e.getMessage());
            return;
        }
        Path file = resolved.path();
        BasicFileAttributes attrs = resolved.attributes();
        long size = attrs.size();
        Validators v = new Validators(size, attrs.lastModifiedTime().toMillis());
        res.putHeader(HttpHeaders.ETAG, v.etag())
                .putHeader(HttpHeaders.LAST_MODIFIED, v.lastModified())
                .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
                // Files can be replaced in place: caches must ask again (and get a 304 when nothing changed).
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        String mac = macOf(req);
        String client = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
        String shown = req.path().substring(PREFIX.length());
        if (v.notModified(req.getHeader(HttpHeaders.IF_NONE_MATCH), req.getHeader(HttpHeaders.IF_MODIFIED_SINCE))) {
            res.setStatusCode(304);
            finish(res, mac, client, shown, 304, -1, -1, size, started);
            res.end();
            return;
        }
        ByteRanges.Answer answer = req.method() == HttpMethod.GET && v.rangeApplies(req.getHeader("If-Range"))
                ? ByteRanges.of(req.getHeader("Range"), size) : new ByteRanges.Whole();
        if (answer instanceof ByteRanges.TooMany many) {
            outcome(416);
            res.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
            problem(res, req.path(), 416, "Range Not Satisfiable",
                    many.count() + " ranges in one request; at most " + ByteRanges.MAX_RANGES + " are read, and one is served");
            return;
        }
        if (answer instanceof ByteRanges.Unsatisfiable) {
            res.setStatusCode(416).putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
            finish(res, mac, client, shown, 416, -1, -1, size, started);
            res.end();
            return;
        }
        ByteRanges.Slice slice = ByteRanges.slice(answer, size);
        if (slice.contentRange() != null) {
            res.putHeader(HttpHeaders.CONTENT_RANGE, slice.contentRange());
        }
        int status = slice.status();
        res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType(file));
        finish(res, mac, client, shown, status, status == 206 ? slice.offset() : -1,
                status == 206 ? slice.offset() + slice.length() - 1 : -1, size, started);
        if (req.method() == HttpMethod.HEAD) {
            res.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(slice.length())).end();
            return;
        }
        res.sendFile(file.toString(), slice.offset(), slice.length()).onFailure(e -> LOG.debugf("sending %s to %s ended: %s", file, client,
                e.toString()));
    }

    /** Counts the outcome and publishes the fact once, when the response ended or the connection closed. */
    private void finish(HttpServerResponse res, String mac, String client, String path, int status, long first, long last,
                        long size, long started) {
        outcome(status);
        AtomicBoolean done = new AtomicBoolean();
        res.endHandler(v -> publish(done, res, true, mac, client, path, status, first, last, size, started));
        res.closeHandler(v -> publish(done, res, false, mac, client, path, status, first, last, size, started));
    }

    private void publish(AtomicBoolean done, HttpServerResponse res, boolean complete, String mac, String client, String path,
                         int status, long first, long last, long size, long started) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        long written = res.bytesWritten();
        bytes.increment(written);
        facts.fileServed(new FileServed(mac != null ? mac : addresses.mac(client == null ? "" : client).orElse(null), client,
                path, status, written, first, last, size, (System.nanoTime() - started) / 1_000_000, complete));
    }

    private void outcome(int status) {
        registry.counter("wings_http_boot_file_requests_total", "status", Integer.toString(status)).increment();
    }

    /** The scripts put {@code ?mac=} on every file URL; a malformed one is ignored, the lease facts may still know. */
    private static String macOf(HttpServerRequest req) {
        String m = req.getParam("mac");
        if (m == null) {
            return null;
        }
        try {
            return MachineIdentity.mac(m);
        } catch (MachineIdentity.Invalid e) {
            return null;
        }
    }

    private static void problem(HttpServerResponse res, String path, int status, String title, String detail) {
        res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.encode(new Problem("about:blank", title, status, detail, path)));
    }

    static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".iso")) {
            return "application/x-iso9660-image";
        }
        if (name.endsWith(".efi")) {
            return "application/efi";
        }
        if (name.endsWith(".ipxe") || name.endsWith(".cfg") || name.endsWith(".txt")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
