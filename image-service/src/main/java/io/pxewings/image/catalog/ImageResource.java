package io.pxewings.image.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.image.ImageSnapshot;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The catalog: publish an image (its blob uploaded first), find, read, deprecate, yank and
 * delete. Every change is a fact on {@code wings.image.facts}.
 */
@Path("/api/v1/images")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "images")
public class ImageResource {

    @Inject
    Publisher publisher;

    @Inject
    Catalog catalog;

    /** Deprecate and yank take why, and who. */
    public record Change(String reason) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish an image whose blob is in the store; 201, or 409 when the version exists")
    public Response publish(Publisher.Request body, @QueryParam("by") String by, @HeaderParam("traceparent") String traceparent) {
        ImageSnapshot i = publisher.publish(body, who(by), trace(traceparent));
        return Response.status(201).header("Location", "/api/v1/images/" + i.name() + "/" + i.version()).entity(i).build();
    }

    @GET
    @Operation(summary = "Images, newest first, filtered (label=k=v, repeatable), a page at a time (after = the previous page's next)")
    public Map<String, Object> list(@QueryParam("name") String name, @QueryParam("os") String os, @QueryParam("arch") String arch,
                                    @QueryParam("state") String state, @QueryParam("label") List<String> labels,
                                    @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("after") String after) {
        if (limit < 1 || limit > 500) {
            throw new Publisher.Invalid("limit", "1-500");
        }
        if (state != null && !List.of("published", "deprecated", "yanked").contains(state)) {
            throw new Publisher.Invalid("state", "published, deprecated or yanked");
        }
        Map<String, String> selector = new LinkedHashMap<>();
        for (String l : labels == null ? List.<String>of() : labels) {
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new Publisher.Invalid("label", "name=value");
            }
            selector.put(l.substring(0, eq), l.substring(eq + 1));
        }
        Catalog.Page page = catalog.list(name, os, arch, state, selector, limit, after);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", page.images());
        out.put("next", page.next());
        return out;
    }

    @GET
    @Path("/{name}/{version}")
    @Operation(summary = "One image")
    public ImageSnapshot get(@PathParam("name") String name, @PathParam("version") String version) {
        return find(name, version);
    }

    @GET
    @Path("/{name}/{version}/signature")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The minisign signature the image was published with")
    public String signature(@PathParam("name") String name, @PathParam("version") String version) {
        find(name, version);
        return catalog.minisig(name, version).orElseThrow(() -> new NotFound(name + ":" + version + " was published unsigned"));
    }

    @POST
    @Path("/{name}/{version}/deprecate")
    @Operation(summary = "Deprecate: still deployable, no longer preferred")
    public ImageSnapshot deprecate(@PathParam("name") String name, @PathParam("version") String version, Change body,
                                   @QueryParam("by") String by, @HeaderParam("traceparent") String traceparent) {
        find(name, version);
        return catalog.change(name, version, "deprecated", reason(body), who(by), trace(traceparent));
    }

    @POST
    @Path("/{name}/{version}/yank")
    @Operation(summary = "Yank: never deployed again (final)")
    public ImageSnapshot yank(@PathParam("name") String name, @PathParam("version") String version, Change body,
                              @QueryParam("by") String by, @HeaderParam("traceparent") String traceparent) {
        find(name, version);
        return catalog.change(name, version, "yanked", reason(body), who(by), trace(traceparent));
    }

    @DELETE
    @Path("/{name}/{version}")
    @Operation(summary = "Delete an image from the catalog (its blob is collected later, if nothing else uses it)")
    public Response delete(@PathParam("name") String name, @PathParam("version") String version, @QueryParam("by") String by,
                           @HeaderParam("traceparent") String traceparent) {
        find(name, version);
        catalog.delete(name, version, who(by), trace(traceparent));
        return Response.noContent().build();
    }

    private ImageSnapshot find(String name, String version) {
        if (name == null || !Publisher.NAME.matcher(name).matches() || version == null || !Publisher.VERSION.matcher(version).matches()) {
            throw new Publisher.Invalid("image", "name and version as published (letters, digits, ._-)");
        }
        return catalog.get(name, version).orElseThrow(() -> new NotFound("no image " + name + ":" + version));
    }

    static String reason(Change body) {
        String r = body == null ? null : body.reason();
        if (r != null && (r.length() > 500 || r.chars().anyMatch(c -> c < 0x20))) {
            throw new Publisher.Invalid("reason", "one line of at most 500 characters");
        }
        return r;
    }

    static String who(String by) {
        if (by == null || by.isBlank()) {
            return "api";
        }
        if (!by.matches("[A-Za-z0-9._@:-]{1,64}")) {
            throw new Publisher.Invalid("by", "letters, digits and ._@:-, at most 64");
        }
        return by;
    }

    static Traceparent trace(String header) {
        try {
            return header == null ? Traceparent.newRoot() : Traceparent.parse(header);
        } catch (RuntimeException e) {
            return Traceparent.newRoot();
        }
    }

    /** An image that is not in the catalog. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message, null, false, false);
        }
    }
}
