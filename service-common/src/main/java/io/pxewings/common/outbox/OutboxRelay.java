package io.pxewings.common.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;

import io.pxewings.common.events.EventPublisher;
import io.pxewings.events.codec.EventHeader;

/**
 * Publishes an outbox ({@link OutboxRows}) in order: one batch at a time, each row deleted once the
 * broker acknowledged it; a failure leaves the rest for the next round (delivery is at least once,
 * and consumers dedupe on the event id). One relay per instance: several instances may both send a
 * row before either deletes it, which at-least-once allows.
 */
public final class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final DataSource db;
    private final EventPublisher publisher;
    private final String name;
    private final LongConsumer onSent;
    private ScheduledExecutorService timer;

    /** @param onSent told each sent row's age in milliseconds (for a latency metric), or a no-op */
    public OutboxRelay(DataSource db, EventPublisher publisher, String name, LongConsumer onSent) {
        this.db = db;
        this.publisher = publisher;
        this.name = name;
        this.onSent = onSent;
    }

    /** Relays every {@code periodMillis} on a daemon thread of its own. */
    public void start(long periodMillis) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::relay, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (timer != null) {
            timer.shutdown();
        }
    }

    record Row(long id, String topic, String key, String type, String eventId, List<EventHeader> headers, byte[] value, long ageMillis) {
    }

    /** One round: the oldest rows, sent in order, each deleted once acknowledged; returns how many were sent. */
    public int relay() {
        List<Row> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT id, topic, key, type, event_id, headers, value, (extract(epoch FROM clock_timestamp() - created_at) * 1000)::bigint"
                        + " FROM outbox ORDER BY id LIMIT 100");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                List<Map<String, String>> hs = OutboxRows.JSON.readValue(rs.getString(6), new TypeReference<>() { });
                List<EventHeader> headers = hs.stream().map(h -> new EventHeader(h.get("name"), h.get("value"))).toList();
                rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), headers,
                        rs.getBytes(7), rs.getLong(8)));
            }
        } catch (Exception ex) {
            LOG.debugf("%s: %s", name, ex.getMessage());   // the database is away: next round
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
                onSent.accept(r.ageMillis());
                sent++;
            } catch (Exception ex) {
                LOG.warnf("%s: %s %s not sent yet: %s", name, r.type(), r.eventId(), ex.getMessage());
                break;   // keep the order: the rest waits for this one
            }
        }
        return sent;
    }
}
