package io.pxewings.common.info;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pxewings.common.config.ServiceIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/service}: which service, site and instance answers here, and for how long. */
@Path("/api/v1/service")
@Tag(name = "service")
public class ServiceInfoResource {

    /** What an SRE checks first when a port answers: is this the instance I think it is. */
    public record ServiceInfo(String service, String site, String instance, String version, String host, long pid,
                              String source, Instant startedAt, long uptimeSeconds) {
    }

    @Inject
    ServiceIdentity identity;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Identity of this service instance")
    public ServiceInfo info() {
        return new ServiceInfo(identity.service(), identity.site(), identity.instance(), identity.version(),
                identity.host(), ProcessHandle.current().pid(), identity.source(), identity.startedAt(),
                Duration.between(identity.startedAt(), Instant.now()).toSeconds());
    }
}
