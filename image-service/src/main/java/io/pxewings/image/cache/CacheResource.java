package io.pxewings.image.cache;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.pxewings.image.blobs.BlobRoutes;
import io.pxewings.image.catalog.Catalog;
import io.pxewings.image.catalog.Publisher;
import io.pxewings.image.config.ImageConfig;
import io.pxewings.image.store.BlobStore;
import io.pxewings.image.store.Digest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A site cache's state and prefetch: the orchestrator (or an operator) warms a site before a
 * wave of deploys, so the first machine does not wait for the upstream and the upstream link
 * carries each image once.
 */
@Path("/api/v1/cache")
@Produces(MediaType.APPLICATION_JSON)
public class CacheResource {

    /** At most this many digests per request: a prefetch names images, not a catalog. */
    static final int MAX_DIGESTS = 64;

    @Inject
    ImageConfig config;

    @Inject
    BlobRoutes blobs;

    @Inject
    PullThrough pullThrough;

    public record Prefetch(List<String> digests) {
    }

    @GET
    @Operation(summary = "Cache mode or not, the upstream, the byte budget, what is stored and what is being fetched")
    public Map<String, Object> state() throws IOException {
        List<BlobStore.Stored> stored = blobs.store().list();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", pullThrough.enabled());
        out.put("upstream", config.cache().upstream().orElse(null));
        out.put("budgetBytes", config.cache().budgetBytes());
        out.put("storedBytes", stored.stream().mapToLong(BlobStore.Stored::size).sum());
        out.put("blobs", stored.size());
        out.put("fetching", pullThrough.inFlight());
        return out;
    }

    @POST
    @Path("/prefetch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start fetching blobs from upstream; 202 with each digest's state (present or fetching), 409 when not a cache")
    public Response prefetch(Prefetch body) {
        if (!pullThrough.enabled()) {
            throw new Catalog.Refused("this image-service is not a site cache (wings.image.cache.upstream is not set)");
        }
        if (body == null || body.digests() == null || body.digests().isEmpty()) {
            throw new Publisher.Invalid("digests", "one or more sha256:<hex> digests");
        }
        if (body.digests().size() > MAX_DIGESTS) {
            throw new Publisher.Invalid("digests", "at most " + MAX_DIGESTS);
        }
        List<Digest> wanted = body.digests().stream().map(CacheResource::digest).toList();
        Map<String, String> states = new LinkedHashMap<>();
        for (Digest d : wanted) {
            if (blobs.store().has(d)) {
                blobs.store().touch(d);
                states.put(d.toString(), "present");
            } else {
                pullThrough.fetch(blobs.store(), d);
                states.put(d.toString(), "fetching");
            }
        }
        return Response.accepted(Map.of("digests", states)).build();
    }

    private static Digest digest(String s) {
        try {
            return Digest.parse(s);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Publisher.Invalid("digests", "not a sha256:<hex> digest: " + s);
        }
    }
}
