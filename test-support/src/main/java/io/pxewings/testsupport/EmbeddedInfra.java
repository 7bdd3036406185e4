package io.pxewings.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.pxewings.deploy.infra.BrokerProcess;
import io.pxewings.deploy.infra.FreePorts;
import io.pxewings.deploy.infra.PostgresServer;
import io.pxewings.deploy.infra.ServiceDatabases;
import io.pxewings.deploy.infra.TopicProvisioner;

/**
 * One real Kafka broker (its own JVM) and one real PostgreSQL per test JVM, started on first use
 * and stopped when the JVM ends. Ports are free ones picked at start, so tests never collide with a
 * running {@code ./wings up}; all files live under {@code target/wings-test}.
 *
 * <p>Quarkus may load this class in more than one class loader (one per application restart), so
 * the endpoints are kept in system properties, which all of them share.
 */
public final class EmbeddedInfra {

    static final String KAFKA_PROPERTY = "wings.test.kafka.bootstrap";
    static final String PG_PORT_PROPERTY = "wings.test.postgres.port";

    /** Where the shared broker and database listen. */
    public record Endpoints(String kafkaBootstrap, int postgresPort) {

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
        }

        public String reactiveUrl(String database) {
            return "postgresql://127.0.0.1:" + postgresPort + "/" + database;
        }
    }

    private EmbeddedInfra() {
    }

    public static synchronized Endpoints shared() {
        String bootstrap = System.getProperty(KAFKA_PROPERTY);
        if (bootstrap != null) {
            return new Endpoints(bootstrap, Integer.getInteger(PG_PORT_PROPERTY));
        }
        try {
            return start();
        } catch (Exception e) {
            throw new IllegalStateException("embedded test infrastructure did not start: " + e.getMessage(), e);
        }
    }

    private static Endpoints start() throws Exception {
        Path work = workDirectory().resolve("infra-" + ProcessHandle.current().pid());
        Files.createDirectories(work);
        long t0 = System.nanoTime();
        BrokerProcess broker = BrokerProcess.start(work.resolve("kafka"), FreePorts.next(), FreePorts.next(),
                work.resolve("kafka.log"));
        PostgresServer postgres = PostgresServer.start(work.resolve("postgres"),
                workDirectory().resolve("postgres-binaries"), FreePorts.next());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("[wings-test] postgres stop: " + e);
            }
        }, "wings-test-infra-stop"));
        postgres.ensureDatabases(ServiceDatabases.NAMES);
        TopicProvisioner.ensureTopics(broker.bootstrap(), (short) 1, Duration.ofSeconds(90));
        System.out.printf("[wings-test] Kafka %s and PostgreSQL 127.0.0.1:%d ready in %d ms (files in %s)%n",
                broker.bootstrap(), postgres.port(), (System.nanoTime() - t0) / 1_000_000, work);
        System.setProperty(KAFKA_PROPERTY, broker.bootstrap());
        System.setProperty(PG_PORT_PROPERTY, Integer.toString(postgres.port()));
        return new Endpoints(broker.bootstrap(), postgres.port());
    }

    /** {@code target/wings-test} of the module under test (set by the parent POM's surefire config). */
    static Path workDirectory() {
        String configured = System.getProperty("wings.test.work");
        return Path.of(configured != null ? configured : "target/wings-test").toAbsolutePath();
    }
}
