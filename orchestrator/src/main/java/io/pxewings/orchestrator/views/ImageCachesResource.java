package io.pxewings.orchestrator.views;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pxewings.orchestrator.runs.RunRefused;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/image-caches[?digest=sha256:...]}: which site caches hold which blobs, as their
 * fetched and evicted facts say (the orchestrator's view of wings.image.facts, kept in its database,
 * so it outlives the topic's retention).
 */
@Path("/api/v1/image-caches")
@Tag(name = "images")
public class ImageCachesResource {

    @Inject
    Images images;

    @Inject
    DataSource db;

    @GET
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Blobs the site caches hold, by digest and site")
    public Map<String, Object> list(@QueryParam("digest") String digest) throws SQLException {
        if (digest != null && !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new RunRefused(400, "digest: sha256: and 64 lower-case hex digits");
        }
        try (Connection c = db.getConnection()) {
            List<Images.Cached> caches = images.caches(c, digest);
            return Map.of("caches", caches);
        }
    }
}
