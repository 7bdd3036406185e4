package io.pxewings.httpboot.agent;

import java.time.Instant;

import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.httpboot.config.HttpBootConfig;
import io.pxewings.httpboot.ipxe.MachineIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * Every agent call names its machine ({@code X-Wings-Mac}) and carries that machine's token
 * ({@code Authorization: Bearer <token>}, from the kernel command line). No or a malformed
 * token, or no MAC: 401. A token that is not this MAC's (another machine's, another site's, a
 * forged or an expired one), a call from another address than the machine's lease
 * ({@link Sources}), or a token of a boot that is no longer the machine's ({@link MachineBoots}):
 * 403.
 */
@ApplicationScoped
public class AgentAuth {

    public static final String MAC_HEADER = "X-Wings-Mac";

    /** The machine a call is from, and the boot its token belongs to. */
    public record Caller(String mac, AgentTokens.Claims claims) {
    }

    @Inject
    HttpBootConfig config;

    @Inject
    ServiceIdentity identity;

    @Inject
    MeterRegistry registry;

    @Inject
    Sources sources;

    @Inject
    MachineBoots boots;

    private AgentTokens tokens;

    @PostConstruct
    void init() {
        tokens = new AgentTokens(config.agent().secret(), identity.site());
    }

    /** @return the caller's MAC, normalised (any call but an inventory) */
    public String machine(AgentCall call) {
        return caller(call).mac();
    }

    /** The caller of any call but an inventory: its boot must be the machine's (or the machine has none yet). */
    public Caller caller(AgentCall call) {
        Caller c = authenticate(call.authorization, call.mac, call.client());
        if (!boots.admitCall(c.mac(), c.claims())) {
            unconfirmed(c);
            throw refuse(403, "superseded", "the token is of a boot of " + c.mac() + " that is no longer its own: the machine "
                    + "reported from another boot since");
        }
        return c;
    }

    /** The caller of an inventory, its token and source checked; {@link #admitInventory} once the report is. */
    public Caller inventory(AgentCall call) {
        return authenticate(call.authorization, call.mac, call.client());
    }

    /** The first inventory of a boot makes it the machine's boot until it boots again; others are refused. */
    public void admitInventory(Caller c) {
        if (!boots.admitInventory(c.mac(), c.claims(), Instant.now())) {
            unconfirmed(c);
            throw refuse(403, "superseded", "another boot of " + c.mac() + " reported its inventory, and the machine has not "
                    + "booted again since: this token is refused");
        }
    }

    /** A fresh token of the caller's boot: the agent trades its token for it while it is valid. */
    public String renew(Caller c) {
        Instant now = Instant.now();
        return tokens.issue(c.mac(), c.claims().bootId(), now, now.plus(config.agent().tokenTtl()));
    }

    Caller authenticate(String authorization, String macHeader, String client) {
        if (macHeader == null || macHeader.isBlank()) {
            throw refuse(401, "malformed", "no " + MAC_HEADER + " header: every agent call names its machine");
        }
        String mac;
        try {
            mac = MachineIdentity.mac(macHeader.trim());
        } catch (MachineIdentity.Invalid e) {
            throw refuse(401, "malformed", MAC_HEADER + ": " + e.getMessage().substring("mac: ".length()));
        }
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        AgentTokens.Checked checked = tokens.check(token, mac, Instant.now());
        switch (checked.verdict()) {
            case VALID -> {
                var refusal = sources.check(mac, client);
                if (refusal.isPresent()) {
                    throw refuse(403, refusal.get().reason(), refusal.get().detail());
                }
                return new Caller(mac, checked.claims());
            }
            case MALFORMED -> throw refuse(401, "malformed", "no or a malformed bearer token (the agent's wings.token)");
            case EXPIRED -> throw refuse(403, "expired", "the token has expired: the machine must boot again for a new one");
            default -> throw refuse(403, "wrong-machine", "the token is not for machine " + mac);
        }
    }

    /** A 503 for a boot no DHCP DISCOVER confirms yet ({@link MachineBoots#unconfirmed}): the agent retries. */
    private void unconfirmed(Caller c) {
        if (boots.unconfirmed(c.mac(), c.claims())) {
            throw refuse(503, "unconfirmed", "this token's boot of " + c.mac() + " is not confirmed yet: no DHCP DISCOVER from it is known"
                    + " here since its last boot reported (the site's DHCP facts may be late); ask again");
        }
    }

    private WebApplicationException refuse(int status, String reason, String detail) {
        registry.counter("wings_http_boot_agent_refused_total", "reason", reason).increment();
        return new WebApplicationException(detail, Response.status(status).build());
    }
}
