package io.pxewings.inventory.api;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pxewings.events.machine.MachineSnapshot;
import io.pxewings.inventory.config.InventoryConfig;
import io.pxewings.inventory.machine.Machine;
import io.pxewings.inventory.machine.MachineChanges;
import io.pxewings.inventory.machine.MachineService;
import io.pxewings.inventory.machine.MachineSnapshots;
import io.pxewings.inventory.machine.MachineState;
import io.pxewings.inventory.machine.MachineStore;
import io.pxewings.inventory.query.Cursor;
import io.pxewings.inventory.query.LabelSelector;
import io.pxewings.inventory.query.MachineQuery;
import io.pxewings.inventory.query.MachineSort;
import io.pxewings.inventory.validation.Fields;
import io.pxewings.inventory.validation.InvalidField;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Machines: find, read, create, change and delete them. Every change is a machine fact on Kafka. */
@Path("/api/v1/machines")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "machines")
public class MachineResource {

    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String MACHINE_EXAMPLE = """
            {"site":"dc1","hostname":"node-0042","labels":{"rack":"r12","role":"compute"},
             "bmc":{"address":"10.1.12.42","protocol":"ipmi","credentialsRef":"vault:dc1/bmc/r12"},
             "nics":[{"mac":"52:54:00:12:34:56","boot":true,"address":"10.1.0.42"}]}""";

    @Inject
    MachineStore store;

    @Inject
    MachineService machines;

    @Inject
    InventoryConfig config;

    @GET
    @WithSession
    @Operation(summary = "List machines", description = "Filters combine with AND. Pages are keyset cursors: "
            + "a page never skips or repeats a machine while others are added. The next page's URL is in the "
            + "Link header (rel=\"next\") and its cursor in the body's `next`.")
    @APIResponse(responseCode = "200", description = "A page of machines", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "page",
            value = "{\"items\":[{\"id\":\"1b4e28ba-2fa1-11d2-883f-0016d3cca427\",\"site\":\"dc1\",\"hostname\":\"node-0042\","
                    + "\"state\":\"inventoried\",\"labels\":{\"rack\":\"r12\"},\"nics\":[{\"mac\":\"52:54:00:12:34:56\","
                    + "\"boot\":true}],\"disks\":[],\"version\":3}],\"next\":\"djEfY3JlYXRlZEF0H...\"}")))
    @APIResponse(responseCode = "400", description = "A filter, sort, limit or cursor is invalid (problem+json names it)")
    public Uni<Response> list(
            @Parameter(description = "exact site", example = "dc1") @QueryParam("site") String site,
            @Parameter(description = "exact state", example = "inventoried") @QueryParam("state") String state,
            @Parameter(description = "Kubernetes label selector", example = "rack in (r12,r13),role=compute,!retired")
            @QueryParam("selector") String selector,
            @Parameter(description = "free text: part of a host name, serial, asset tag, product, UUID, id or MAC",
                    example = "node-00") @QueryParam("q") String q,
            @Parameter(description = "createdAt (default), updatedAt or hostname; '-' before for descending",
                    example = "-updatedAt") @QueryParam("sort") String sort,
            @Parameter(description = "page size, 1 to wings.inventory.max-page-size (default 100)")
            @QueryParam("limit") String limit,
            @Parameter(description = "the `next` of the previous page") @QueryParam("cursor") String cursor,
            UriInfo uri) {
        MachineSort order = MachineSort.parse(sort);
        MachineQuery filters = new MachineQuery(site == null ? null : Fields.site("site", site),
                state == null ? null : MachineState.parse("state", state).wire(),
                selector == null || selector.isBlank() ? null : LabelSelector.parse(selector),
                q == null || q.isBlank() ? null : Fields.text("q", q, 200), order, null, limit(limit));
        Cursor after = cursor == null ? null : MachineQuery.check(Cursor.decode(cursor), order, filters.fingerprint());
        MachineQuery query = new MachineQuery(filters.site(), filters.state(), filters.selector(), filters.text(),
                order, after, filters.limit());
        return store.page(query).map(rows -> {
            boolean more = rows.size() > query.limit();
            List<Machine> page = more ? rows.subList(0, query.limit()) : rows;
            String next = more ? query.next(page.get(page.size() - 1)).encode() : null;
            Response.ResponseBuilder r = Response.ok(new MachinePage(page.stream().map(MachineSnapshots::of).toList(), next));
            if (next != null) {
                r.link(uri.getRequestUriBuilder().replaceQueryParam("cursor", next).build(), "next");
            }
            return r.build();
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a machine", description = "Site is required; state defaults to expected. "
            + "Hardware fields come from discovery and are refused here.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "expected machine", value = MACHINE_EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Created; Location and ETag name it")
    @APIResponse(responseCode = "409", description = "A MAC, host name, BMC or address belongs to another machine")
    public Uni<Response> create(String body, @HeaderParam("traceparent") String traceparent) {
        MachineChanges changes = MachineChanges.fromFull(JsonBodies.parse(body));
        return machines.create(changes, "api", Traces.of(traceparent)).map(m -> Response
                .created(URI.create("/api/v1/machines/" + m.id)).tag(etagValue(m)).entity(MachineSnapshots.of(m)).build());
    }

    @GET
    @Path("{id}")
    @WithSession
    @Operation(summary = "Read a machine", description = "With its ETag; If-None-Match gives 304 when unchanged.")
    @APIResponse(responseCode = "404", description = "No such machine")
    public Uni<Response> get(@PathParam("id") String id, @HeaderParam("If-None-Match") String ifNoneMatch) {
        return store.byId(uuid(id)).map(m -> represent(m, "no machine " + id, ifNoneMatch));
    }

    @GET
    @Path("by-mac/{mac}")
    @WithSession
    @Operation(summary = "Find the machine that has a NIC with this MAC",
            description = "Any common MAC form; answers with the machine and Content-Location naming it.")
    public Uni<Response> byMac(@PathParam("mac") String mac, @HeaderParam("If-None-Match") String ifNoneMatch) {
        String normal = Fields.mac("mac", mac);
        return store.byMac(normal).map(m -> {
            Response r = represent(m, "no machine has a NIC " + normal, ifNoneMatch);
            return Response.fromResponse(r).contentLocation(URI.create("/api/v1/machines/" + m.id)).build();
        });
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a machine's operator fields",
            description = "site, hostname, labels, bmc and nics as given (missing ones are cleared; a missing state "
                    + "is kept). If-Match with the ETag turns a lost update into 412.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "replace", value = MACHINE_EXAMPLE)))
    @APIResponse(responseCode = "412", description = "If-Match does not match: someone else changed it")
    public Uni<Response> replace(@PathParam("id") String id, String body, @HeaderParam("If-Match") String ifMatch,
                                 @HeaderParam("traceparent") String traceparent) {
        return machines.replace(uuid(id), JsonBodies.parse(body), ifMatch, Traces.of(traceparent)).map(this::ok);
    }

    @PATCH
    @Path("{id}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some of a machine's operator fields",
            description = "A JSON merge patch (RFC 7396): fields present change; null clears; labels merge key by key "
                    + "(null removes one); nics replaces the NIC list.")
    @RequestBody(content = @Content(mediaType = MERGE_PATCH, examples = @ExampleObject(name = "relabel",
            value = "{\"labels\":{\"role\":\"storage\",\"burn-in\":null},\"state\":\"ready\"}")))
    @APIResponse(responseCode = "412", description = "If-Match does not match: someone else changed it")
    public Uni<Response> patch(@PathParam("id") String id, String patch, @HeaderParam("If-Match") String ifMatch,
                               @HeaderParam("traceparent") String traceparent) {
        return machines.patch(uuid(id), JsonBodies.parse(patch), ifMatch, Traces.of(traceparent)).map(this::ok);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a machine", description = "Its reservations are removed from the DHCP reservations topic.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                                @HeaderParam("traceparent") String traceparent) {
        return machines.delete(uuid(id), ifMatch, Traces.of(traceparent)).map(v -> Response.noContent().build());
    }

    private Response ok(Machine m) {
        return Response.ok(MachineSnapshots.of(m)).tag(etagValue(m)).build();
    }

    static Response represent(Machine m, String missing, String ifNoneMatch) {
        if (m == null) {
            throw new NotFoundException(missing);
        }
        String etag = MachineSnapshots.etag(m);
        if (ifNoneMatch != null && (ifNoneMatch.trim().equals("*") || List.of(ifNoneMatch.split(",")).stream()
                .map(String::trim).anyMatch(etag::equals))) {
            return Response.notModified().tag(etagValue(m)).build();
        }
        MachineSnapshot body = MachineSnapshots.of(m);
        return Response.ok(body).tag(etagValue(m)).build();
    }

    static jakarta.ws.rs.core.EntityTag etagValue(Machine m) {
        return new jakarta.ws.rs.core.EntityTag(Long.toString(m.version));
    }

    static UUID uuid(String id) {
        try {
            if (id.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("id", "'" + (id.length() > 64 ? id.substring(0, 64) + "…" : id) + "' is not a machine id (a UUID)");
        }
    }

    private int limit(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Math.min(100, config.maxPageSize());
        }
        int n;
        try {
            n = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new InvalidField("limit", "'" + raw + "' is not a number");
        }
        if (n < 1 || n > config.maxPageSize()) {
            throw new InvalidField("limit", "must be 1 to " + config.maxPageSize());
        }
        return n;
    }
}
