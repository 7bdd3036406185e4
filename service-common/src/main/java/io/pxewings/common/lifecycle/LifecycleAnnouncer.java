package io.pxewings.common.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.common.events.EventPublisher;
import io.pxewings.events.EventTypes;
import io.pxewings.events.service.ServiceStarted;
import io.pxewings.events.service.ServiceStopped;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Publishes {@code service.started} when the service is up, {@code service.alive} every
 * {@code wings.service.alive-interval} after that, and {@code service.stopped} on orderly shutdown.
 * A crash sends no stop: the registry (orchestrator) sees an instance whose last fact is older than
 * its {@code service-stale-after} as stale, so the alive interval must be well under that.
 */
@ApplicationScoped
public class LifecycleAnnouncer {

    private static final Logger LOG = Logger.getLogger(LifecycleAnnouncer.class);

    @Inject
    ServiceIdentity identity;

    @Inject
    EventPublisher publisher;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1")
    String httpHost;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int httpPort;

    @ConfigProperty(name = "wings.service.alive-interval", defaultValue = "PT30S")
    Duration aliveInterval;

    private java.util.concurrent.ScheduledExecutorService alive;

    void onStart(@Observes StartupEvent event) {
        ServiceStarted started = new ServiceStarted(identity.service(), identity.instance(), identity.site(),
                identity.version(), identity.host(), ProcessHandle.current().pid(),
                "http://" + httpHost + ":" + httpPort, identity.startedAt());
        publisher.publish(EventTypes.SERVICE_STARTED, identity.key(), started)
                .whenComplete((ok, failure) -> {
                    if (failure == null) {
                        LOG.infof("announced %s on site %s as %s", identity.service(), identity.site(), identity.instance());
                    }
                });
        alive = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wings-service-alive");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(aliveInterval.toMillis(), 100);
        // While the broker is away the producer buffers these (delivery.timeout.ms); they are small, and the latest one counts.
        alive.scheduleAtFixedRate(() -> publisher.publish(EventTypes.SERVICE_ALIVE, identity.key(), started), every, every,
                TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (alive != null) {
            alive.shutdownNow();
        }
        long uptime = Duration.between(identity.startedAt(), Instant.now()).toSeconds();
        ServiceStopped stopped = new ServiceStopped(identity.service(), identity.instance(), identity.site(),
                Instant.now(), uptime);
        try {
            // Bounded: shutdown must not hang on an unreachable broker.
            publisher.publish(EventTypes.SERVICE_STOPPED, identity.key(), stopped).toCompletableFuture()
                    .get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("service.stopped not delivered: %s", e.toString());
        }
    }
}
