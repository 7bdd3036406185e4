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
 * URL the site's running image-service instance announced; of several, one on an address machines
 * can reach before one on loopback (a single-host suite runs the central catalog on loopback and
 * the site's cache on the machines' network, both in the same site), then the newest.
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
                    .sorted(java.util.Comparator.comparing((ServiceInstance i) -> onLoopback(i.httpUrl()))
                            .thenComparing(ServiceInstance::startedAt, java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())))
                    .map(ServiceInstance::httpUrl).map(u -> u.replaceAll("/+$", "")).findFirst();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the service registry is not readable: " + e.getMessage(), e);
        }
    }

    static boolean onLoopback(String url) {
        String host = java.net.URI.create(url).getHost();
        return host == null || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }
}
