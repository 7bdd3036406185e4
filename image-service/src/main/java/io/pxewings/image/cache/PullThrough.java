package io.pxewings.image.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.image.config.ImageConfig;
import io.pxewings.image.store.BlobStore;
import io.pxewings.image.store.Digest;
import io.pxewings.image.store.DiskFull;
import io.pxewings.image.uploads.Uploads;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A site cache's pull-through (cache mode, {@code wings.image.cache.upstream}): a blob asked for
 * and not here is fetched once from the central image-service, however many machines ask at
 * once (one fetch in flight per digest; the others wait for it), hashed as it arrives and kept
 * only if its digest is the one asked for. Then the least recently used blobs leave until the
 * store is within its byte budget. Machines always download from their site.
 */
@ApplicationScoped
public class PullThrough {

    private static final Logger LOG = Logger.getLogger(PullThrough.class);

    @Inject
    ImageConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    @Inject
    CacheFacts facts;

    /** Room kept free beyond a blob's size: directory entries, and other writes to the disk meanwhile. */
    static final long MARGIN = 1 << 20;

    private final Map<Digest, Future<Void>> inFlight = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public boolean enabled() {
        return config.cache().upstream().isPresent();
    }

    /** Fetches {@code d} into {@code store} unless a fetch of it is under way; the future ends when it is there (or failed). */
    public Future<Void> fetch(BlobStore store, Digest d) {
        Promise<Void> mine = Promise.promise();
        Future<Void> running = inFlight.putIfAbsent(d, mine.future());
        if (running != null) {
            return running;
        }
        vertx.<Void>executeBlocking(() -> {
            pull(store, d);
            return null;
        }, false).onComplete(r -> {
            // Out of the map before the waiters hear: a later miss (after an eviction) fetches afresh.
            inFlight.remove(d, mine.future());
            if (r.failed()) {
                LOG.warnf("cache: fetching %s failed: %s", d, r.cause().getMessage());
            }
            mine.handle(r);
        });
        return mine.future();
    }

    /** Blobs being fetched now. */
    public int inFlight() {
        return inFlight.size();
    }

    private void pull(BlobStore store, Digest d) throws IOException, InterruptedException {
        if (store.has(d)) {
            return;
        }
        Counter.builder("wings_image_cache_misses").description("Blobs asked for and not in the site cache").register(registry).increment();
        URI uri = URI.create(config.cache().upstream().orElseThrow().replaceAll("/+$", "") + "/api/v1/blobs/" + d);
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofHours(2)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 404) {
            r.body().close();
            return;
        }
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException("upstream answered " + r.statusCode() + " for " + d);
        }
        long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced >= 0) {
            try {
                makeRoom(store, d, announced);
            } catch (DiskFull full) {
                r.body().close();
                diskFull();
                throw full;
            }
        }
        Path part = store.upload("cache-" + UUID.randomUUID());
        MessageDigest digest = Uploads.sha256();
        long bytes = 0;
        try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(part)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                digest.update(buf, 0, n);
                out.write(buf, 0, n);
                bytes += n;
            }
        } catch (IOException e) {
            Files.deleteIfExists(part);
            if (DiskFull.is(e)) {
                diskFull();
                throw new DiskFull("the site cache's disk is full: " + d + " stopped after " + bytes + " bytes, nothing kept ("
                        + store.usableBytes() + " bytes free in " + store.root() + "; free space, or set wings.image.cache.budget-bytes"
                        + " below the disk's size)", e);
            }
            throw new IOException("fetching " + d + " stopped after " + bytes + " bytes: " + e.getMessage(), e);
        }
        Digest got = Digest.of(digest.digest());
        if (!got.equals(d)) {
            Files.deleteIfExists(part);
            Counter.builder("wings_image_cache_rejected").description("Blobs fetched from upstream whose digest was not the one asked for")
                    .register(registry).increment();
            throw new IOException("upstream sent " + got + " for " + d + ": discarded");
        }
        store.commit(part, d);
        Counter.builder("wings_image_cache_fetched_bytes").baseUnit("bytes").description("Bytes fetched from upstream")
                .register(registry).increment(bytes);
        facts.fetched(d, bytes, uri.getHost());
        evict(store, d);
    }

    /** Least recently used blobs out, until the store is within its budget (never the one just fetched). */
    public int evict(BlobStore store, Digest keep) throws IOException {
        List<BlobStore.Stored> all = store.list();
        long total = all.stream().mapToLong(BlobStore.Stored::size).sum();
        int n = 0;
        for (BlobStore.Stored s : leastRecentlyUsedFirst(all)) {
            if (total <= config.cache().budgetBytes()) {
                break;
            }
            if (!s.digest().equals(keep) && evictOne(store, s, "over the budget")) {
                total -= s.size();
                n++;
            }
        }
        return n;
    }

    /**
     * Before a fetch of {@code needed} bytes: least recently used blobs out until the disk can take
     * them with a margin, for a budget larger than the disk (or a disk shared with something else).
     * A blob that cannot fit even in an empty cache evicts nothing and is refused at once: one
     * oversized image must not wipe a site's cache on its way to failing. A reader in the middle of
     * an evicted blob finishes it: its open file keeps the bytes until it is closed.
     */
    void makeRoom(BlobStore store, Digest d, long needed) throws IOException {
        long want = needed + MARGIN;
        if (store.usableBytes() >= want) {
            return;
        }
        List<BlobStore.Stored> all = store.list();
        long reclaimable = all.stream().mapToLong(BlobStore.Stored::size).sum();
        if (store.usableBytes() + reclaimable < want) {
            throw new DiskFull("the site cache's disk cannot hold " + d + " (" + needed + " bytes): " + store.usableBytes()
                    + " bytes free in " + store.root() + " and " + reclaimable + " in cached blobs; nothing was evicted", null);
        }
        for (BlobStore.Stored s : leastRecentlyUsedFirst(all)) {
            if (store.usableBytes() >= want) {
                break;
            }
            evictOne(store, s, "to make room for " + d);
        }
        if (store.usableBytes() < want) {
            throw new DiskFull("the site cache's disk is full: " + store.usableBytes() + " bytes free in " + store.root()
                    + " after evicting, " + needed + " needed for " + d, null);
        }
    }

    private static List<BlobStore.Stored> leastRecentlyUsedFirst(List<BlobStore.Stored> all) {
        return all.stream().sorted(Comparator.comparing(BlobStore.Stored::lastUsed)).toList();
    }

    private boolean evictOne(BlobStore store, BlobStore.Stored s, String why) throws IOException {
        if (!store.delete(s.digest())) {
            return false;
        }
        Counter.builder("wings_image_cache_evicted_bytes").baseUnit("bytes").description("Bytes evicted from the site cache")
                .register(registry).increment(s.size());
        facts.evicted(s.digest(), s.size());
        LOG.infof("cache: evicted %s (%d bytes, last used %s) %s", s.digest(), s.size(), s.lastUsed(), why);
        return true;
    }

    private void diskFull() {
        Counter.builder("wings_image_store_disk_full").tag("write", "cache")
                .description("Writes refused because the blob store's disk was full").register(registry).increment();
    }
}
