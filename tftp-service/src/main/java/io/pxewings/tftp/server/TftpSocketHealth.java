package io.pxewings.tftp.server;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Ready only while the TFTP socket is bound. */
@Readiness
@ApplicationScoped
public class TftpSocketHealth implements HealthCheck {

    @Inject
    TftpServer server;

    @Override
    public HealthCheckResponse call() {
        var on = server.listeningOn();
        return HealthCheckResponse.named("TFTP socket").status(on.isPresent()).withData("udp", on.orElse("not bound")).build();
    }
}
