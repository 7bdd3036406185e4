package io.pxewings.dhcp.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pxewings.dhcp.boot.BootDecision;
import io.pxewings.dhcp.boot.ClientFacts;
import io.pxewings.dhcp.codec.Hex;
import io.pxewings.dhcp.lease.Ipv4;
import io.pxewings.dhcp.lease.Lease;
import io.pxewings.dhcp.server.DhcpInspector;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Read-only operator views: the leases, and for one MAC what it is offered and why. */
@Path("/api/v1/dhcp")
@Tag(name = "dhcp")
@Produces(MediaType.APPLICATION_JSON)
public class DhcpResource {

    /** One lease as the API shows it. */
    public record LeaseView(String mac, String ip, String subnet, String state, String hostname, Instant updatedAt,
                            Instant expiresAt) {
        static LeaseView of(Lease l) {
            return new LeaseView(l.mac(), Ipv4.text(l.ip()), l.subnet(), l.state().name().toLowerCase(Locale.ROOT),
                    l.hostname(), l.updatedAt(), l.expiresAt());
        }
    }

    /** What the last DISCOVER of a MAC said, what it would be offered now, and why. */
    public record Explanation(String mac, String architecture, String firmware, String vendorClass, List<String> userClass,
                              String uuid, LeaseView lease, String bootFile, String nextServer, String defaultUrl,
                              boolean noProxyDhcp, String reason) {
    }

    @Inject
    DhcpInspector inspector;

    @GET
    @Path("/leases")
    @Operation(summary = "Every lease record (bound, released, expired, declined and offered)")
    public CompletionStage<List<LeaseView>> leases() {
        return inspector.leases().thenApply(all -> all.stream()
                .sorted(Comparator.comparingLong(l -> Ipv4.toLong(l.ip())))
                .map(LeaseView::of).toList());
    }

    @GET
    @Path("/machines/{mac}/explain")
    @Operation(summary = "What this MAC would be offered now and why, from its last DISCOVER")
    public CompletionStage<Explanation> explain(@PathParam("mac") String mac) {
        String key = mac.toLowerCase(Locale.ROOT).replace('-', ':');
        if (!key.matches(Hex.MAC_PATTERN)) {
            throw new BadRequestException("mac must look like 52:54:00:12:34:56, was '" + mac + "'");
        }
        return inspector.explain(key).thenApply(e -> e.orElseThrow(() ->
                new NotFoundException("no DISCOVER from " + key + " since this instance started")));
    }

    public static Explanation explanationOf(String mac, ClientFacts f, Lease lease, BootDecision d) {
        return new Explanation(mac, f.arch().name(), f.arch().firmware().name(), f.vendorClass().raw(), f.userClass(),
                f.uuid().map(Object::toString).orElse(null), lease == null ? null : LeaseView.of(lease),
                d.bootFile().orElse(null), d.nextServer().orElse(null), d.defaultUrl().orElse(null), d.noProxyDhcp(),
                d.reason());
    }
}
