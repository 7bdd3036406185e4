package io.pxewings.deploy.infra;

import java.util.List;

/** The services that own a PostgreSQL database; each gets its own database, created up front. */
public final class ServiceDatabases {

    /** image_cache: a site cache's own catalog copy and outbox (the lab runs one beside the central image). */
    public static final List<String> NAMES = List.of("inventory", "image", "orchestrator", "bmc", "image_cache");

    private ServiceDatabases() {
    }
}
