package io.pxewings.httpboot.install;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.common.edge.BootIntentView;
import io.pxewings.common.problem.ProblemMappers;
import io.pxewings.events.boot.BootIntent;
import io.pxewings.httpboot.agent.Inventories;
import io.pxewings.httpboot.ipxe.MachineIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Installer templates rendered for one machine: {@code /templates/{mac}/{kickstart|preseed|
 * autoinstall|esxi}} and the cloud-init NoCloud seed {@code /cloud-init/{mac}/{meta-data|
 * user-data|vendor-data|network-config}} (an installer given {@code ds=nocloud-net;s=<url>/}
 * fetches the files under it). A value the template needs and the machine lacks is a 422 naming
 * it; an installer never gets a blank value.
 */
@Path("/")
public class InstallResource {

    private static final Logger LOG = Logger.getLogger(InstallResource.class);

    @Inject
    InstallTemplates templates;

    @Inject
    BootIntentView intents;

    @Inject
    Inventories inventories;

    @Inject
    ServiceIdentity identity;

    @Inject
    MeterRegistry registry;

    @Context
    UriInfo uri;

    @GET
    @Path("/templates/{mac}/{name}")
    @Produces("text/plain")
    @Operation(summary = "An installer's answer file for this machine: kickstart, preseed, autoinstall or esxi")
    public Response installer(@PathParam("mac") @Parameter(example = "52:54:00:12:34:56") String mac,
                              @PathParam("name") @Parameter(example = "preseed") String name) {
        if (!InstallTemplates.INSTALLERS.contains(name)) {
            return ProblemMappers.problem(404, "Not Found", "no installer template '" + shown(name) + "'; there are "
                    + InstallTemplates.INSTALLERS, uri);
        }
        return render(mac, name);
    }

    @GET
    @Path("/cloud-init/{mac}/{file}")
    @Produces("text/plain")
    @Operation(summary = "A cloud-init NoCloud file for this machine: meta-data, user-data, vendor-data or network-config")
    public Response cloudInit(@PathParam("mac") String mac, @PathParam("file") String file) {
        if (!InstallTemplates.CLOUD_INIT.contains(file)) {
            return ProblemMappers.problem(404, "Not Found", "no cloud-init file '" + shown(file) + "'; there are "
                    + InstallTemplates.CLOUD_INIT, uri);
        }
        return render(mac, file);
    }

    private Response render(String rawMac, String name) {
        String mac;
        try {
            mac = MachineIdentity.mac(rawMac);
        } catch (MachineIdentity.Invalid e) {
            return ProblemMappers.problem(400, "Bad Request", e.getMessage(), uri);
        }
        BootIntent intent = intents.get(mac).orElse(null);
        Map<String, Object> machine;
        try {
            machine = InstallParams.of(identity.site(), mac, intent, inventories.get(mac).orElse(null));
        } catch (InstallParams.Invalid e) {
            count(name, "invalid-param");
            return ProblemMappers.problem(422, "Unprocessable Content", "the intent's parameter " + e.getMessage(), uri);
        }
        try {
            String body = templates.render(name, machine);
            count(name, "rendered");
            return Response.ok(body, "text/plain; charset=utf-8").header("Cache-Control", "no-store").build();
        } catch (InstallTemplates.Missing e) {
            count(name, "missing-value");
            LOG.warnf("%s asked for %s: %s", mac, name, e.getMessage());
            return ProblemMappers.problem(422, "Unprocessable Content", e.getMessage(), uri);
        }
    }

    private void count(String template, String outcome) {
        registry.counter("wings_http_boot_templates_total", "template", template, "outcome", outcome).increment();
    }

    private static String shown(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
