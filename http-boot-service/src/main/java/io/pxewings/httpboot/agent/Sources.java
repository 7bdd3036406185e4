package io.pxewings.httpboot.agent;

import java.util.Optional;

import io.pxewings.common.edge.LeaseAddresses;
import io.pxewings.httpboot.config.HttpBootConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Is a request from the machine it names? With {@code trust-source=lease}, only when it comes from
 * the address that machine's DHCP lease holds (the lease facts' view): a script with a token is
 * minted only for the machine itself, and a token is used only from it. Someone else on the
 * network who knows a MAC gets neither.
 */
@ApplicationScoped
public class Sources {

    /** Why a request is not taken for the machine's own. */
    public record Refusal(String reason, String detail, boolean leaseUnknown) {
    }

    @Inject
    HttpBootConfig config;

    @Inject
    LeaseAddresses leases;

    /** Empty when {@code client} may act as {@code mac}; else why not. */
    public Optional<Refusal> check(String mac, String client) {
        if (config.agent().trustSource().equals("any")) {
            return Optional.empty();
        }
        Optional<String> leased = leases.ip(mac);
        if (leased.isEmpty()) {
            return Optional.of(new Refusal("no-lease", "no DHCP lease of " + mac + " is known here yet", true));
        }
        String from = client == null ? "" : client.startsWith("::ffff:") ? client.substring(7) : client;
        if (!leased.get().equals(from)) {
            return Optional.of(new Refusal("wrong-source", "the request came from " + from + ", not from " + mac
                    + "'s leased address", false));
        }
        return Optional.empty();
    }
}
