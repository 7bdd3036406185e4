package io.pxewings.image.gc;

import java.time.Instant;
import java.util.Set;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.image.blobs.BlobRoutes;
import io.pxewings.image.catalog.Catalog;
import io.pxewings.image.config.ImageConfig;
import io.pxewings.image.store.BlobStore;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Deletes blobs no image in the catalog names, once unused for {@code gc-grace} (an upload about
 * to be published is not collected under its uploader); a site cache evicts by budget instead.
 * Gauges: bytes and blobs stored.
 */
@ApplicationScoped
public class GarbageCollector {

    private static final Logger LOG = Logger.getLogger(GarbageCollector.class);

    @Inject
    ImageConfig config;

    @Inject
    BlobRoutes blobs;

    @Inject
    Catalog catalog;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    private volatile long storedBytes;
    private volatile long storedBlobs;

    void start(@Observes StartupEvent e) {
        Gauge.builder("wings_image_stored_bytes", this, g -> g.storedBytes).baseUnit("bytes").description("Bytes in the blob store")
                .register(registry);
        Gauge.builder("wings_image_blobs", this, g -> g.storedBlobs).description("Blobs in the blob store").register(registry);
        vertx.setPeriodic(5_000, config.gcInterval().toMillis(), t -> vertx.executeBlocking(this::collect, false));
    }

    /** One round; returns how many blobs were deleted. */
    public int collect() {
        try {
            BlobStore store = blobs.store();
            var all = store.list();
            storedBytes = all.stream().mapToLong(BlobStore.Stored::size).sum();
            storedBlobs = all.size();
            if (config.cache().upstream().isPresent()) {
                return 0;   // a site cache: the budget decides
            }
            Set<String> referenced = catalog.referencedBlobs();
            Instant cut = Instant.now().minus(config.gcGrace());
            int n = 0;
            for (BlobStore.Stored s : all) {
                if (!referenced.contains(s.digest().hex()) && s.lastUsed().isBefore(cut) && store.delete(s.digest())) {
                    n++;
                    storedBytes -= s.size();
                    storedBlobs--;
                    Counter.builder("wings_image_gc_deleted_bytes").baseUnit("bytes").description("Bytes of unreferenced blobs collected")
                            .register(registry).increment(s.size());
                    LOG.infof("gc: deleted %s (%d bytes), no image names it", s.digest(), s.size());
                }
            }
            return n;
        } catch (Exception ex) {
            LOG.warnf("gc: %s", ex.getMessage());
            return 0;
        }
    }
}
