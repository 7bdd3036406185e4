package io.pxewings.dhcp.server;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.pxewings.dhcp.api.DhcpResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Reads the server's state on its own event loop, for the REST views. */
@ApplicationScoped
public class DhcpInspector {

    @Inject
    DhcpServer server;

    public CompletionStage<Collection<io.pxewings.dhcp.lease.Lease>> leases() {
        return server.onLoop(() -> List.copyOf(server.store().all()));
    }

    public CompletionStage<Optional<DhcpResource.Explanation>> explain(String mac) {
        return server.onLoop(() -> server.lastSeen(mac).map(facts -> DhcpResource.explanationOf(mac, facts,
                server.store().byMac(mac).orElse(null), server.explain(facts))));
    }
}
