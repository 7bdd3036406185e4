package io.pxewings.bmc.api;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pxewings.bmc.store.CommandLog;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A command as recorded: running, completed or failed, with the reason and the attempt. */
@Path("/api/v1/commands")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "commands")
public class CommandResource {

    @Inject
    CommandLog log;

    @GET
    @Path("/{id}")
    @Operation(summary = "A BMC command's state and result")
    public CommandLog.Entry get(@PathParam("id") String id) {
        if (id == null || !id.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new IllegalArgumentException("command id: 1-100 letters, digits or ._:-");
        }
        return log.get(id).orElseThrow(() -> new ApiErrors.NotFound("no command " + id
                + " (not taken yet by this site's bmc-service, or another site's)"));
    }
}
