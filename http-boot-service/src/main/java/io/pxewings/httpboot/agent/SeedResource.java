package io.pxewings.httpboot.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.common.edge.BootIntentView;
import io.pxewings.common.problem.ProblemMappers;
import io.pxewings.httpboot.config.HttpBootConfig;
import io.pxewings.httpboot.install.InstallParams;
import io.pxewings.httpboot.install.InstallTemplates;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The NoCloud seed the agent's {@code configure} task writes into the installed system:
 * {@code GET /api/agent/v1/seed/{meta-data|user-data|vendor-data|network-config}}, the same
 * templates as {@code /cloud-init/{mac}/...}, for the calling machine only (its agent token).
 * user-data gains a {@code phone_home} whose URL carries a first-boot token of this boot, so the
 * installed system's first boot reports to {@code /api/first-boot/v1/phone-home/{mac}}, at the
 * address the agent itself reached (the installed system sits on the same network).
 *
 * <p>A machine whose intent names no host name gets {@code wings-<mac without colons>}, and one
 * with no SSH keys an empty list: a deploy needs a seed, where an installer template needs its
 * operator's values (a 422 there).
 */
@Path("/api/agent/v1")
public class SeedResource {

    @Inject
    AgentAuth auth;

    @Inject
    HttpBootConfig config;

    @Inject
    ServiceIdentity identity;

    @Inject
    InstallTemplates templates;

    @Inject
    BootIntentView intents;

    @Inject
    Inventories inventories;

    @Inject
    MeterRegistry registry;

    @Context
    UriInfo uri;

    private AgentTokens firstBootTokens;

    @PostConstruct
    void init() {
        firstBootTokens = AgentTokens.firstBoot(config.agent().secret(), identity.site());
    }

    @GET
    @Path("/seed/{file}")
    @Produces("text/plain")
    @Operation(summary = "A NoCloud seed file for the calling machine's installed system (user-data with its phone_home)")
    public Response seed(@BeanParam AgentCall call, @PathParam("file") String file) {
        AgentAuth.Caller caller = auth.caller(call);
        String mac = caller.mac();
        if (!InstallTemplates.CLOUD_INIT.contains(file)) {
            return ProblemMappers.problem(404, "Not Found", "no seed file '" + (file.length() > 40 ? file.substring(0, 40) : file)
                    + "'; there are " + InstallTemplates.CLOUD_INIT, uri);
        }
        Map<String, Object> machine;
        try {
            machine = InstallParams.of(identity.site(), mac, intents.get(mac).orElse(null), inventories.get(mac).orElse(null));
        } catch (InstallParams.Invalid e) {
            count(file, "invalid-param");
            return ProblemMappers.problem(422, "Unprocessable Content", "the intent's parameter " + e.getMessage(), uri);
        }
        machine.putIfAbsent("hostname", "wings-" + mac.replace(":", ""));
        machine.putIfAbsent("sshKeys", List.of());
        String body;
        try {
            body = templates.render(file, machine);
        } catch (InstallTemplates.Missing e) {
            count(file, "missing-value");
            return ProblemMappers.problem(422, "Unprocessable Content", e.getMessage(), uri);
        }
        if (file.equals("user-data")) {
            body = (body.endsWith("\n") ? body : body + "\n") + phoneHome(caller);
        }
        count(file, "rendered");
        return Response.ok(body, "text/plain; charset=utf-8").header("Cache-Control", "no-store").build();
    }

    /** cloud-init's phone_home module config (cloudinit/config/cc_phone_home.py): url, post, tries. */
    private String phoneHome(AgentAuth.Caller caller) {
        Instant now = Instant.now();
        String token = firstBootTokens.issue(caller.mac(), caller.claims().bootId(), now,
                now.plus(config.agent().firstBootTokenTtl()));
        String base = uri.getBaseUri().toString();
        String url = (base.endsWith("/") ? base : base + "/") + "api/first-boot/v1/phone-home/" + caller.mac() + "?token=" + token;
        return "# Added by http-boot-service: the installed system's first boot reports here, once.\n"
                + "phone_home:\n  url: \"" + url + "\"\n  post: all\n  tries: 10\n";
    }

    private void count(String file, String outcome) {
        registry.counter("wings_http_boot_seeds_total", "file", file, "outcome", outcome).increment();
    }
}
