package io.pxewings.bmc.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pxewings.bmc.bmc.BmcCredentials;
import io.pxewings.bmc.vault.Vault;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The credential vault, write-only: set a reference's credentials, see their metadata, delete
 * them, rotate the master key. No call returns a password or a BMC key.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "credentials")
public class CredentialsResource {

    @Inject
    Vault vault;

    @PUT
    @Path("/credentials/{ref: .+}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the credentials of a reference (inventory's bmc.credentialsRef); 204, nothing echoed")
    public Response put(@PathParam("ref") String ref, Bodies.CredentialsRequest body) {
        Vault.checkRef(ref);
        if (body == null || body.username() == null || body.password() == null) {
            throw new IllegalArgumentException("body: {username, password} required ({kg} optional, hex, IPMI only)");
        }
        if (body.username().isEmpty() || body.username().length() > 64 || body.username().chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("username: 1-64 printable characters");
        }
        byte[] password = body.password().getBytes(StandardCharsets.UTF_8);
        if (password.length > 256) {
            throw new IllegalArgumentException("password: at most 256 bytes");
        }
        byte[] kg = null;
        if (body.kg() != null && !body.kg().isEmpty()) {
            if (!body.kg().matches("([0-9a-fA-F]{2}){1,20}")) {
                throw new IllegalArgumentException("kg: the BMC key in hex, at most 20 bytes");
            }
            kg = java.util.HexFormat.of().parseHex(body.kg());
        }
        boolean existed = vault.metadata(ref).isPresent();
        vault.put(ref, new BmcCredentials(body.username(), password, kg));
        return Response.status(existed ? 204 : 201).header("Location", "/api/v1/credentials/" + ref).build();
    }

    @GET
    @Path("/credentials/{ref: .+}")
    @Operation(summary = "A reference's metadata: user, master key id, when set (never the secret)")
    public Vault.Metadata get(@PathParam("ref") String ref) {
        Vault.checkRef(ref);
        return vault.metadata(ref).orElseThrow(() -> new ApiErrors.NotFound("no credentials " + ref));
    }

    @DELETE
    @Path("/credentials/{ref: .+}")
    @Operation(summary = "Delete a reference's credentials")
    public Response delete(@PathParam("ref") String ref) {
        Vault.checkRef(ref);
        if (!vault.delete(ref)) {
            throw new ApiErrors.NotFound("no credentials " + ref);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("/vault")
    @Operation(summary = "The vault's master keys (ids only) and how many credentials each seals")
    public Map<String, Object> vault() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("currentKey", vault.keys().currentId());
        out.put("keys", vault.keys().ids());
        out.put("credentialsByKey", vault.countsByKey());
        return out;
    }

    @POST
    @Path("/vault/rotate")
    @Operation(summary = "Re-seal every credential under the current master key (add it first on every instance)")
    public Map<String, Object> rotate() {
        int n = vault.rotate();
        Map<String, Object> out = new LinkedHashMap<>(vault());
        out.put("resealed", n);
        return out;
    }

}
