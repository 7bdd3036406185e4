package io.pxewings.image;

import java.net.ServerSocket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The central image-service as a site cache sees it, in the test: a small Vert.x server, not a
 * second image-service, because the cache tests count what reaches the upstream (one fetch however
 * many machines ask), make it slow (so the askers overlap), make it lie (bytes that are not the
 * digest asked for) and send a blob with no length (chunked), none of which a real one does on cue.
 */
final class FakeUpstream implements AutoCloseable {

    /** The upstream's blobs, by digest; a digest in {@link #lies} gets other bytes. */
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, byte[]> lies = new ConcurrentHashMap<>();
    /** Digests sent chunked, with no Content-Length. */
    final Set<String> chunked = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    private final Vertx vertx = Vertx.vertx();

    /** Listens on {@code port}; every answer waits {@code delayMs} before its bytes. */
    FakeUpstream(int port, long delayMs) throws Exception {
        vertx.createHttpServer().requestHandler(req -> {
            String digest = req.path().substring(req.path().lastIndexOf('/') + 1).replace("%3A", ":");
            asked.computeIfAbsent(digest, k -> new AtomicInteger()).incrementAndGet();
            byte[] body = lies.getOrDefault(digest, blobs.get(digest));
            if (body == null) {
                req.response().setStatusCode(404).end();
                return;
            }
            vertx.setTimer(Math.max(1, delayMs), t -> {
                var res = req.response().putHeader("Content-Type", "application/octet-stream");
                if (chunked.contains(digest)) {
                    res.setChunked(true).write(Buffer.buffer(body));
                    res.end();
                } else {
                    res.end(Buffer.buffer(body));
                }
            });
        }).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A blob of {@code bytes} random bytes (from {@code seed}), served from now on; its digest. */
    String add(int seed, int bytes) throws Exception {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        blobs.put(digest, data);
        return digest;
    }

    /** Requests for {@code digest} so far. */
    int asked(String digest) {
        return asked.getOrDefault(digest, new AtomicInteger()).get();
    }

    @Override
    public void close() {
        vertx.close();
    }
}
