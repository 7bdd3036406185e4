package io.pxewings.common.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Readiness: a broker of the cluster answered a metadata request at the last check. The check runs
 * in the background every {@code wings.health.kafka-interval} (2 s) and waits up to
 * {@code wings.health.kafka-timeout} (10 s) for an answer (2 s once DOWN, to notice the return
 * quickly); a probe reads its last result and never waits. It replaces Quarkus' own Kafka check ({@code quarkus.kafka.health.enabled=false}), which
 * ran in the probe and waited on {@code describeCluster} with the admin client's 60 s default: with
 * every broker down, a probe hung for a minute instead of answering DOWN (found by the Kafka outage
 * test of issue 18). A short deadline in the probe itself was tried and was worse: with one broker of
 * three dead, or a busy host, the admin client's first try can take seconds, and readiness flapped
 * DOWN on a healthy cluster. Same check name as Quarkus', so dashboards keep working.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    static final String NAME = "Kafka connection health check";

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "wings.health.kafka-timeout", defaultValue = "PT10S")
    Duration timeout;

    @ConfigProperty(name = "wings.health.kafka-interval", defaultValue = "PT2S")
    Duration interval;

    /** The last check's outcome: nodes when UP, the reason when DOWN; null before the first ends. */
    private volatile Outcome last;
    private ScheduledExecutorService checker;
    private Admin admin;

    static final long RECHECK_WHILE_DOWN_MS = 2000;

    record Outcome(boolean up, String detail, Instant at) {
    }

    void start(@Observes StartupEvent ignored) {
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-readiness");
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (checker != null) {
            checker.shutdownNow();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }

    @Override
    public HealthCheckResponse call() {
        Outcome o = last;
        if (o == null) {
            o = firstCheck();   // a probe right after start waits for the first answer, once
        }
        var response = HealthCheckResponse.named(NAME);
        if (o.up()) {
            return response.up().withData("nodes", o.detail()).withData("checked", o.at().toString()).build();
        }
        return response.down().withData("bootstrap", String.valueOf(kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)))
                .withData("reason", o.detail()).withData("checked", o.at().toString()).build();
    }

    private synchronized Outcome firstCheck() {
        if (last == null) {
            check();
        }
        return last;
    }

    synchronized void check() {
        // Patient while UP (a slow answer from a healthy cluster is not an outage), quick while DOWN
        // (the first answer after an outage is noticed within a couple of seconds).
        Outcome before = last;
        long wait = before != null && !before.up() ? Math.min(timeout.toMillis(), RECHECK_WHILE_DOWN_MS) : timeout.toMillis();
        try {
            Collection<Node> nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) wait))
                    .nodes().get(wait + 1000, TimeUnit.MILLISECONDS);
            last = new Outcome(true, nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(",")), Instant.now());
        } catch (ExecutionException e) {
            last = down(wait, e.getCause() == null ? e.toString() : e.getCause().toString());
        } catch (TimeoutException e) {
            last = down(wait, "no answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            last = down(wait, e.toString());   // a bad config: said, and the checker keeps running
        }
    }

    private static Outcome down(long waited, String why) {
        return new Outcome(false, "no broker answered within " + waited + " ms: " + why, Instant.now());
    }

    /** One admin client for the service's life: the same brokers and security settings as every channel. */
    private Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>();
            kafka.forEach((k, v) -> {
                if (AdminClientConfig.configNames().contains(k)) {
                    config.put(k, v);
                }
            });
            int ms = (int) timeout.toMillis();
            // A third of the deadline per request: a node that does not answer is given up in time
            // to ask another within the same check.
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, ms / 3));
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "wings-readiness");
            admin = Admin.create(config);
        }
        return admin;
    }
}
