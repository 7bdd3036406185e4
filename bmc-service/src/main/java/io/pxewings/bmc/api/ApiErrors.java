package io.pxewings.bmc.api;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.pxewings.common.problem.ProblemMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** bmc-service's API errors as problem+json; none ever carries a secret (they are built from messages that never hold one). */
public class ApiErrors {

    /** A resource that does not exist. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message, null, false, false);
        }
    }

    /** A dependency (Kafka) did not take the request in time: nothing was done. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    @ServerExceptionMapper
    public Response unavailable(Unavailable e, UriInfo uri) {
        return ProblemMappers.problem(503, "Service Unavailable", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e, UriInfo uri) {
        return ProblemMappers.problem(400, "Bad Request", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response notFound(NotFound e, UriInfo uri) {
        return ProblemMappers.problem(404, "Not Found", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        // Only the location: Jackson's message quotes the body, which may hold a password.
        return ProblemMappers.problem(400, "Bad Request", "body: not valid JSON (line " + (e.getLocation() == null ? "?"
                : e.getLocation().getLineNr()) + ")", uri);
    }
}
