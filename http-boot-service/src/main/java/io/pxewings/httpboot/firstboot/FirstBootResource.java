package io.pxewings.httpboot.firstboot;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.common.problem.ProblemMappers;
import io.pxewings.events.agent.FirstBoot;
import io.pxewings.httpboot.agent.AgentTokens;
import io.pxewings.httpboot.agent.MachineBoots;
import io.pxewings.httpboot.config.HttpBootConfig;
import io.pxewings.httpboot.facts.HttpBootFacts;
import io.pxewings.httpboot.ipxe.MachineIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The installed system's first boot phones home here: cloud-init's {@code phone_home} module POSTs
 * its form fields ({@code instance_id}, {@code hostname}, {@code fqdn}, {@code pub_key_*}) to the
 * URL the agent's seed gave it, {@code /api/first-boot/v1/phone-home/{mac}?token=...}. A URL is
 * all cloud-init can be given (no headers), so the first-boot token is in it; the token is bound to
 * the machine and to the RAM-OS boot that wrote the seed, and is spent by its first use. Refused
 * and changing nothing: no or a malformed token (401), another machine's, a forged or an expired
 * one, or one of a boot that is no longer the machine's (403), a spent one (409).
 */
@Path("/api/first-boot/v1")
public class FirstBootResource {

    private static final Logger LOG = Logger.getLogger(FirstBootResource.class);
    /** A host name or instance id as cloud-init sends it: one line of printable text. */
    private static final Pattern NAME = Pattern.compile("[\\x21-\\x7e]{1,255}");
    /** An OpenSSH public key line, or cloud-init's N/A for a key type the system lacks. */
    private static final Pattern KEY = Pattern.compile("[\\x20-\\x7e]{1,16384}");

    @Inject
    HttpBootConfig config;

    @Inject
    ServiceIdentity identity;

    @Inject
    MachineBoots boots;

    @Inject
    FirstBoots firstBoots;

    @Inject
    HttpBootFacts facts;

    @Inject
    MeterRegistry registry;

    @Context
    UriInfo uri;

    @Context
    HttpServerRequest request;

    private AgentTokens tokens;

    @PostConstruct
    void init() {
        tokens = AgentTokens.firstBoot(config.agent().secret(), identity.site());
    }

    @POST
    @Path("/phone-home/{mac}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The installed system's first boot (cloud-init phone_home), with its seed's first-boot token")
    public Response phoneHome(@PathParam("mac") String rawMac, @QueryParam("token") String token,
                              @FormParam("instance_id") String instanceId, @FormParam("hostname") String hostname,
                              @FormParam("fqdn") String fqdn, @FormParam("pub_key_rsa") String rsa,
                              @FormParam("pub_key_ecdsa") String ecdsa, @FormParam("pub_key_ed25519") String ed25519) {
        String mac;
        try {
            mac = MachineIdentity.mac(rawMac);
        } catch (MachineIdentity.Invalid e) {
            return refuse(400, "Bad Request", "malformed", e.getMessage());
        }
        AgentTokens.Checked checked = tokens.check(token, mac, Instant.now());
        switch (checked.verdict()) {
            case MALFORMED -> {
                return refuse(401, "Unauthorized", "malformed", "no or a malformed first-boot token (?token= of the seed's URL)");
            }
            case EXPIRED -> {
                return refuse(403, "Forbidden", "expired", "the first-boot token has expired (wings.http-boot.agent.first-boot-token-ttl)");
            }
            case WRONG_MACHINE -> {
                return refuse(403, "Forbidden", "wrong-machine", "the token is not a first-boot token of machine " + mac);
            }
            default -> {
            }
        }
        String bootId = checked.claims().bootId();
        if (!boots.admitCall(mac, checked.claims())) {
            return refuse(403, "Forbidden", "superseded", "the token is of a deploy from a boot of " + mac
                    + " that is no longer its own: the machine reported from another boot since");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String[] k : new String[][] {{"rsa", rsa}, {"ecdsa", ecdsa}, {"ed25519", ed25519}}) {
            if (k[1] == null || k[1].isBlank() || k[1].equals("N/A")) {
                continue;
            }
            if (!KEY.matcher(k[1].strip()).matches()) {
                return refuse(400, "Bad Request", "invalid", "pub_key_" + k[0] + ": one line of printable text, at most 16384");
            }
            keys.put(k[0], k[1].strip());
        }
        for (String[] f : new String[][] {{"instance_id", instanceId}, {"hostname", hostname}, {"fqdn", fqdn}}) {
            if (f[1] == null ? f[0].equals("instance_id") : !NAME.matcher(f[1]).matches()) {
                return refuse(400, "Bad Request", "invalid", f[0] + ": " + (f[1] == null ? "required" : "printable text without spaces, at most 255"));
            }
        }
        if (!firstBoots.claim(mac, bootId)) {
            return refuse(409, "Conflict", "spent", "the first boot of this deploy of " + mac + " was reported already: a token is good once");
        }
        String address = request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        facts.firstBoot(new FirstBoot(mac, bootId, instanceId, hostname, fqdn, address, keys));
        registry.counter("wings_http_boot_first_boot_total", "outcome", "reported").increment();
        LOG.infof("%s: first boot phoned home from %s (instance %s, hostname %s)", mac, address, instanceId, hostname);
        return Response.ok("first boot of " + mac + " recorded\n").build();
    }

    private Response refuse(int status, String title, String reason, String detail) {
        registry.counter("wings_http_boot_first_boot_total", "outcome", reason).increment();
        return ProblemMappers.problem(status, title, detail, uri);
    }
}
