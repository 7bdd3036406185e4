package io.pxewings.dhcp.server;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Ready only while the DHCP socket is bound. */
@Readiness
@ApplicationScoped
public class DhcpSocketHealth implements HealthCheck {

    @Inject
    DhcpServer server;

    @Override
    public HealthCheckResponse call() {
        var on = server.listeningOn();
        return HealthCheckResponse.named("DHCP socket").status(on.isPresent()).withData("udp", on.orElse("not bound")).build();
    }
}
