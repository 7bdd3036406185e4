package io.pxewings.orchestrator.runs;

import java.util.Optional;

import io.pxewings.orchestrator.config.OrchestratorConfig;
import io.pxewings.orchestrator.services.ServiceInstance;
import io.pxewings.orchestrator.services.ServiceRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Where a site's machines download images: machines always read from their own site's image
 * endpoint (its cache). Configured per site ({@code wings.orchestrator.image-urls."SITE"}), else the
 * URL the site's running image-service instance announced.
 */
@ApplicationScoped
public class SiteImageUrls {

    @Inject
    OrchestratorConfig config;

    @Inject
    ServiceRegistry registry;

    public Optional<String> forSite(String site) {
        String configured = config.imageUrls().get(site);
        if (configured != null) {
            return Optional.of(configured.replaceAll("/+$", ""));
        }
        try {
            return registry.list(Optional.of(site)).stream()
                    .filter(i -> i.service().equals("image-service") && i.state().equals("running") && i.httpUrl() != null)
                    .map(ServiceInstance::httpUrl).map(u -> u.replaceAll("/+$", "")).findFirst();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the service registry is not readable: " + e.getMessage(), e);
        }
    }
}
