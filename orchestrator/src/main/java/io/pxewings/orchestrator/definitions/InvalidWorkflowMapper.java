package io.pxewings.orchestrator.definitions;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.pxewings.common.problem.Problem;
import io.pxewings.orchestrator.workflow.InvalidWorkflow;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** A workflow document that cannot be run: 400 problem+json (RFC 9457) with every problem in {@code errors}, by path. */
public class InvalidWorkflowMapper {

    @ServerExceptionMapper
    public Response invalid(InvalidWorkflow e, UriInfo uri) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", "Bad Request");
        body.put("status", 400);
        body.put("detail", "the workflow is not valid: " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                + ", nothing was stored");
        body.put("instance", uri.getPath());
        body.put("errors", e.problems());
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
