package io.pxewings.deploy.infra;

import java.util.List;

/** The services that own a PostgreSQL database; each gets its own database, created up front. */
public final class ServiceDatabases {

    /**
     * image_cache: a site cache's own catalog copy and outbox (the lab runs one beside the central
     * image); image_cache_2: the cache of the lab's second site ({@code ./wings up --lab N --sites 2}).
     */
    public static final List<String> NAMES = List.of("inventory", "image", "orchestrator", "bmc", "image_cache", "image_cache_2");

    private ServiceDatabases() {
    }
}
