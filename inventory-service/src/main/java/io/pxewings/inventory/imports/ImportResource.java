package io.pxewings.inventory.imports;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import io.pxewings.inventory.api.JsonBodies;
import io.pxewings.inventory.api.Traces;
import io.pxewings.inventory.config.InventoryConfig;
import io.pxewings.inventory.metrics.InventoryGauges;
import io.pxewings.inventory.validation.InvalidField;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Bulk import of the machines an SRE expects: CSV or JSON, a result per row. */
@Path("/api/v1/machines/import")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "machines")
public class ImportResource {

    static final String CSV_EXAMPLE = """
            mac,site,hostname,bmc_address,bmc_protocol,bmc_credentials,labels,address
            52:54:00:00:00:01,dc1,node-0001,10.1.12.1,ipmi,vault:dc1/bmc/r12,rack=r12;role=compute,10.1.0.1
            52:54:00:00:00:02,dc1,node-0002,10.1.12.2,redfish,vault:dc1/bmc/r12,rack=r12;role=storage,
            """;

    @Inject
    Importer importer;

    @Inject
    InventoryConfig config;

    @Inject
    InventoryGauges gauges;

    @POST
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Operation(summary = "Import expected machines from CSV", description = "RFC 4180 with a header row; columns mac "
            + "(required), site, hostname, bmc_address, bmc_protocol (ipmi|redfish), bmc_credentials (a reference, never "
            + "a secret), labels (k=v;k=v), address (IPv4 to reserve). A row whose MAC exists updates that machine; a "
            + "new MAC creates an expected machine. Good rows land together, bad rows are reported with their line "
            + "numbers and change nothing. dryRun=true checks everything and writes nothing.")
    @RequestBody(content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "two machines", value = CSV_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Per-row results", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "one bad row", value = "{\"dryRun\":false,\"created\":1,\"updated\":0,\"unchanged\":0,"
                    + "\"failed\":1,\"rows\":[{\"line\":2,\"mac\":\"52:54:00:00:00:01\",\"result\":\"created\",\"machineId\":"
                    + "\"1b4e28ba-2fa1-11d2-883f-0016d3cca427\",\"errors\":[]},{\"line\":3,\"mac\":null,\"result\":\"failed\","
                    + "\"machineId\":null,\"errors\":[{\"field\":\"mac\",\"message\":\"\\\"52:54:00:zz:00:02\\\" is not a MAC address\"}]}]}")))
    @APIResponse(responseCode = "400", description = "The file cannot be read as rows (no header, unknown column, too many rows)")
    public Uni<ImportReport> csv(String body,
                                 @Parameter(description = "site of rows that name none") @QueryParam("site") String site,
                                 @Parameter(description = "check only, write nothing") @QueryParam("dryRun") boolean dryRun,
                                 @HeaderParam("traceparent") String traceparent) {
        ExpectedMachines.Parsed parsed = ExpectedMachines.csv(new StringReader(body == null ? "" : body), site,
                config.importMaxRows());
        return run(parsed, dryRun, traceparent);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import expected machines from JSON", description = "An array of objects with the CSV's "
            + "column names (labels an object, bmc optionally an object {address, protocol, credentials}), or "
            + "{\"machines\": [...]}.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one machine",
            value = "[{\"mac\":\"52:54:00:00:00:01\",\"site\":\"dc1\",\"hostname\":\"node-0001\",\"labels\":{\"rack\":\"r12\"},"
                    + "\"bmc\":{\"address\":\"10.1.12.1\",\"protocol\":\"ipmi\",\"credentials\":\"vault:dc1/bmc/r12\"}}]")))
    public Uni<ImportReport> json(String body, @QueryParam("site") String site, @QueryParam("dryRun") boolean dryRun,
                                  @HeaderParam("traceparent") String traceparent) {
        JsonNode node = JsonBodies.parse(body);
        if (node.isObject() && node.has("machines")) {
            node = node.get("machines");
        }
        if (!node.isArray()) {
            throw new InvalidField("body", "must be an array of machines or {\"machines\": [...]}");
        }
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isObject()) {
                throw new InvalidField("body", "item " + (i + 1) + " is not an object");
            }
        }
        List<Map<String, Object>> rows = JsonBodies.JSON.convertValue(node, new TypeReference<>() {
        });
        return run(ExpectedMachines.rows(rows, site, config.importMaxRows()), dryRun, traceparent);
    }

    private Uni<ImportReport> run(ExpectedMachines.Parsed parsed, boolean dryRun, String traceparent) {
        return importer.run(parsed, dryRun, Traces.of(traceparent)).invoke(report -> gauges.refresh());
    }
}
