package io.pxewings.image.facts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;

import io.pxewings.common.events.EventPublisher;
import io.pxewings.events.codec.EventHeader;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Publishes the outbox in order: one batch at a time, each row deleted once the broker
 * acknowledged it; a failure leaves the rest for the next round (delivery is at least once, and
 * consumers dedupe on the event id). One relay per instance: several instances may both send a
 * row before either deletes it, which at-least-once allows.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    DataSource db;

    @Inject
    EventPublisher publisher;

    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent e) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "image-outbox");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::relay, 200, 200, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (timer != null) {
            timer.shutdown();
        }
    }

    record Row(long id, String topic, String key, String type, String eventId, List<EventHeader> headers, byte[] value) {
    }

    /** One round: the oldest rows, sent in order, each deleted once acknowledged. */
    public int relay() {
        List<Row> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT id, topic, key, type, event_id, headers, value FROM outbox ORDER BY id LIMIT 100");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                List<Map<String, String>> hs = Outbox.JSON.readValue(rs.getString(6), new TypeReference<>() { });
                List<EventHeader> headers = hs.stream().map(h -> new EventHeader(h.get("name"), h.get("value"))).toList();
                rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), headers, rs.getBytes(7)));
            }
        } catch (Exception ex) {
            LOG.debugf("outbox: %s", ex.getMessage());   // the database is away: next round
            return 0;
        }
        int sent = 0;
        for (Row r : rows) {
            try {
                publisher.sendRecord(r.topic(), r.key(), r.headers(), r.value(), r.type(), r.eventId()).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
                    q.setLong(1, r.id());
                    q.executeUpdate();
                }
                sent++;
            } catch (Exception ex) {
                LOG.warnf("outbox: %s %s not sent yet: %s", r.type(), r.eventId(), ex.getMessage());
                break;   // keep the order: the rest waits for this one
            }
        }
        return sent;
    }
}
