package io.pxewings.orchestrator.runs;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.pxewings.common.problem.ProblemMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Every refusal of the orchestrator's API as problem+json (RFC 9457), whichever resource refused. */
public class RunRefusedMapper {

    @ServerExceptionMapper
    public Response refused(RunRefused e, UriInfo uri) {
        Response.Status status = Response.Status.fromStatusCode(e.status());
        return ProblemMappers.problem(e.status(), status == null ? "Unprocessable Content" : status.getReasonPhrase(), e.getMessage(), uri);
    }
}
