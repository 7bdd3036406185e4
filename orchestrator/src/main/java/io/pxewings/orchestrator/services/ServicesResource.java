package io.pxewings.orchestrator.services;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pxewings.common.config.WingsConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/services[?site=]}: every service instance the orchestrator has heard of. */
@Path("/api/v1/services")
@Tag(name = "services")
public class ServicesResource {

    @Inject
    ServiceRegistry registry;

    @GET
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Service instances per site, from their service.started/stopped facts")
    public List<ServiceInstance> list(@QueryParam("site")
                                      @Pattern(regexp = WingsConfig.NAME_PATTERN, message = "must be a site name")
                                      String site) throws SQLException {
        return registry.list(Optional.ofNullable(site));
    }
}
