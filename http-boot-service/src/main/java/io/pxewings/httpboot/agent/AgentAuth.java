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
 * forged or an expired one): 403.
 */
@ApplicationScoped
public class AgentAuth {

    public static final String MAC_HEADER = "X-Wings-Mac";

    @Inject
    HttpBootConfig config;

    @Inject
    ServiceIdentity identity;

    @Inject
    MeterRegistry registry;

    private AgentTokens tokens;

    @PostConstruct
    void init() {
        tokens = new AgentTokens(config.agent().secret(), identity.site());
    }

    /** @return the caller's MAC, normalised */
    public String machine(AgentCall call) {
        return machine(call.authorization, call.mac);
    }

    String machine(String authorization, String macHeader) {
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
        AgentTokens.Verdict v = tokens.verify(token, mac, Instant.now());
        switch (v) {
            case VALID -> {
                return mac;
            }
            case MALFORMED -> throw refuse(401, "malformed", "no or a malformed bearer token (the agent's wings.token)");
            case EXPIRED -> throw refuse(403, "expired", "the token has expired: the machine must boot again for a new one");
            default -> throw refuse(403, "wrong-machine", "the token is not for machine " + mac);
        }
    }

    private WebApplicationException refuse(int status, String reason, String detail) {
        registry.counter("wings_http_boot_agent_refused_total", "reason", reason).increment();
        return new WebApplicationException(detail, Response.status(status).build());
    }
}
