package io.pxewings.image.cache;

import io.pxewings.common.events.EventPublisher;
import io.pxewings.events.EventTypes;
import io.pxewings.events.image.CacheBlob;
import io.pxewings.image.store.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** A site cache's facts: what it fetched and evicted, keyed by blob digest. */
@ApplicationScoped
public class CacheFacts {

    @Inject
    EventPublisher publisher;

    public void fetched(Digest d, long bytes, String upstream) {
        publisher.publish(EventTypes.IMAGE_CACHE_BLOB_FETCHED, d.toString(), new CacheBlob(d.toString(), bytes, upstream));
    }

    public void evicted(Digest d, long bytes) {
        publisher.publish(EventTypes.IMAGE_CACHE_BLOB_EVICTED, d.toString(), new CacheBlob(d.toString(), bytes, null));
    }
}
