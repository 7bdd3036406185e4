package io.pxewings.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the shared real broker and database. Register it once per
 * module with {@code @QuarkusTestResource(WingsInfraResource.class)}; it only starts what is not
 * running yet in this JVM, and stopping is left to the JVM's end (one broker per test JVM).
 *
 * <p>A service with a database names it with the init arg {@code database}.
 */
public class WingsInfraResource implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        EmbeddedInfra.Endpoints endpoints = EmbeddedInfra.shared();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", endpoints.kafkaBootstrap());
        if (database != null) {
            config.put("quarkus.datasource.jdbc.url", endpoints.jdbcUrl(database));
            config.put("quarkus.datasource.reactive.url", endpoints.reactiveUrl(database));
            config.put("quarkus.datasource.username", "postgres");
            config.put("quarkus.datasource.password", "postgres");
        }
        return config;
    }

    @Override
    public void stop() {
        // Shared for the whole test JVM: stopped by the JVM shutdown hook, not per test class.
    }
}
