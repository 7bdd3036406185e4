package io.pxewings.common.health;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Readiness: a broker of the cluster answers a metadata request within
 * {@code wings.health.kafka-timeout} (2 s). It replaces Quarkus' own Kafka check
 * ({@code quarkus.kafka.health.enabled=false}), which waits on {@code describeCluster} with the
 * admin client's 60 s default: with every broker down, a readiness probe hung for a minute instead
 * of answering DOWN, and a load balancer's or kubelet's probe timed out with no reason given
 * (found by the Kafka outage test of issue 18). Same check name, so dashboards keep working.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    static final String NAME = "Kafka connection health check";

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "wings.health.kafka-timeout", defaultValue = "PT2S")
    Duration timeout;

    private Admin admin;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME);
        try {
            Collection<Node> nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            return response.up().withData("nodes", nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(",")))
                    .build();
        } catch (ExecutionException e) {
            return down(response, e.getCause() == null ? e.toString() : e.getCause().toString());
        } catch (TimeoutException e) {
            return down(response, "no answer in " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(response, "interrupted");
        }
    }

    private HealthCheckResponse down(org.eclipse.microprofile.health.HealthCheckResponseBuilder response, String why) {
        return response.down().withData("bootstrap", String.valueOf(kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)))
                .withData("reason", "no broker answered within " + timeout.toMillis() + " ms: " + why).build();
    }

    /** One admin client for the service's life: the same brokers and security settings as every channel. */
    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>();
            kafka.forEach((k, v) -> {
                if (AdminClientConfig.configNames().contains(k)) {
                    config.put(k, v);
                }
            });
            int ms = (int) timeout.toMillis();
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "wings-readiness");
            admin = Admin.create(config);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
