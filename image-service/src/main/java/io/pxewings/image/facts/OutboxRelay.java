package io.pxewings.image.facts;

import javax.sql.DataSource;

import io.pxewings.common.events.EventPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Publishes the catalog's outbox in order ({@link io.pxewings.common.outbox.OutboxRelay}), every 200 ms. */
@ApplicationScoped
public class OutboxRelay {

    @Inject
    DataSource db;

    @Inject
    EventPublisher publisher;

    private io.pxewings.common.outbox.OutboxRelay relay;

    void start(@Observes StartupEvent e) {
        relay = new io.pxewings.common.outbox.OutboxRelay(db, publisher, "image-outbox", age -> { });
        relay.start(200);
    }

    void stop(@Observes ShutdownEvent e) {
        if (relay != null) {
            relay.stop();
        }
    }

    /** One round now (tests); returns how many were sent. */
    public int relay() {
        return relay.relay();
    }
}
