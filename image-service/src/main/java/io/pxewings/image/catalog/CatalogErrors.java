package io.pxewings.image.catalog;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.pxewings.common.problem.ProblemMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** problem+json for the catalog's errors: 400 naming the field, 404, 409. */
public class CatalogErrors {

    @ServerExceptionMapper
    public Response invalid(Publisher.Invalid e, UriInfo uri) {
        return ProblemMappers.problem(400, "Bad Request", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response notFound(ImageResource.NotFound e, UriInfo uri) {
        return ProblemMappers.problem(404, "Not Found", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response exists(Catalog.Exists e, UriInfo uri) {
        return ProblemMappers.problem(409, "Conflict", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response refused(Catalog.Refused e, UriInfo uri) {
        return ProblemMappers.problem(409, "Conflict", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return ProblemMappers.problem(400, "Bad Request", "body: not valid JSON (line "
                + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")", uri);
    }

    @ServerExceptionMapper
    public Response badArgument(IllegalArgumentException e, UriInfo uri) {
        return ProblemMappers.problem(400, "Bad Request", e.getMessage(), uri);
    }
}
