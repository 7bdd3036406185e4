package io.pxewings.httpboot.ipxe;

import java.time.Clock;
import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.common.edge.BootIntentView;
import io.pxewings.common.problem.ProblemMappers;
import io.pxewings.httpboot.agent.AgentTokens;
import io.pxewings.httpboot.config.HttpBootConfig;
import io.pxewings.httpboot.facts.HttpBootFacts;
import io.smallrye.common.annotation.NonBlocking;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code GET /boot.ipxe}: the machine's iPXE script, from the local view of its boot intent.
 * Answers from memory only; a malformed identity is a 400 problem, everything else a script (an
 * intent that cannot be carried out gets a script that says why and asks again later, because a
 * 4xx would leave the machine at an iPXE error prompt).
 */
@Path("/boot.ipxe")
public class ScriptResource {

    private static final Logger LOG = Logger.getLogger(ScriptResource.class);

    @Inject
    HttpBootConfig config;

    @Inject
    ServiceIdentity identity;

    @Inject
    BootIntentView intents;

    @Inject
    HttpBootFacts facts;

    @Inject
    Engine qute;

    @Inject
    MeterRegistry registry;

    @Inject
    io.pxewings.httpboot.agent.Sources sources;

    @Context
    HttpServerRequest request;

    private ScriptPlan planner;

    @PostConstruct
    void init() {
        planner = new ScriptPlan(config, new AgentTokens(config.agent().secret(), identity.site()));
    }

    /** Runs on the event loop: everything it does is in memory, and a hop to a worker thread and back cost more than the rendering. */
    @GET
    @NonBlocking
    @Produces("text/plain")
    @Operation(summary = "The iPXE script for a machine, chosen by its boot intent",
            description = "iPXE fills in the parameters (the DHCP answer carries mac=${net0/mac}&buildarch=${buildarch}&...). "
                    + "text/plain, never cached. 400 problem+json when a parameter is malformed.")
    public Response script(@QueryParam("mac") @Parameter(example = "52:54:00:12:34:56") String mac,
                           @QueryParam("buildarch") @Parameter(example = "x86_64") String buildarch,
                           @QueryParam("platform") @Parameter(example = "pcbios") String platform,
                           @QueryParam("uuid") String uuid, @QueryParam("serial") String serial,
                           @QueryParam("manufacturer") String manufacturer, @QueryParam("product") String product,
                           @QueryParam("asset") String asset, @Context UriInfo uri) {
        MachineIdentity who;
        try {
            who = MachineIdentity.of(mac, buildarch, platform, uuid, serial, manufacturer, product, asset);
        } catch (MachineIdentity.Invalid e) {
            registry.counter("wings_http_boot_scripts_refused_total", "field", e.field()).increment();
            return ProblemMappers.problem(400, "Bad Request", e.getMessage(), uri);
        }
        String client = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        var refusal = sources.check(who.mac(), client);
        ScriptPlan.Plan plan = planner.plan(who, intents.get(who.mac()), who.query(), Instant.now(Clock.systemUTC()), refusal);
        if (refusal.isPresent() && plan.template().equals("error")) {
            registry.counter("wings_http_boot_tokens_refused_total", "reason", refusal.get().reason()).increment();
        }
        Template template = qute.getTemplate("ipxe/" + plan.template() + ".ipxe");
        String body = template.render(plan);
        facts.scriptServed(plan, client);
        registry.counter("wings_http_boot_scripts_served_total", "intent", plan.intent(), "template", plan.template()).increment();
        if (plan.template().equals("error")) {
            LOG.warnf("%s (%s) asked for its script: %s", plan.mac(), client, plan.detail());
        }
        return Response.ok(body, "text/plain; charset=utf-8").header("Cache-Control", "no-store").build();
    }
}
