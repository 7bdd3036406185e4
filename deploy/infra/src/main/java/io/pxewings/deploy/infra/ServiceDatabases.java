package io.pxewings.deploy.infra;

import java.util.List;

/** The services that own a PostgreSQL database; each gets its own database, created up front. */
public final class ServiceDatabases {

    public static final List<String> NAMES = List.of("inventory", "image", "orchestrator", "bmc");

    private ServiceDatabases() {
    }
}
