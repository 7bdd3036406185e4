package io.pxewings.common.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * Publishes an outbox ({@link OutboxRows}) in order: a batch at a time, sent together (the producer
 * keeps a partition's order), the acknowledged prefix deleted in one statement; a failure leaves the
 * rest for the next round (delivery is at least once, and consumers dedupe on the event id). A row
 * whose acknowledgement is still pending (Kafka away) is waited for by the next round, not sent
 * again; one whose send failed is sent again with every row after it.
 *
 * <p>One relay at a time across instances: a round holds a transaction-scoped advisory lock named
 * after the relay. Two relays sending the same rows at once could interleave them, and a consumer
 * that keeps the first copy of each would see a later command before an earlier one (a boot intent
 * {@code local} overtaken by {@code ramos}). An instance that dies mid-round releases the lock with
 * its connection, and the next relay sends what was not deleted.
 *
 * <p>A round runs every period, and at once after {@link #nudge()} (a writer that just committed
 * rows), so a command leaves within milliseconds of its decision rather than a period later.
 */
public final class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final DataSource db;
    private final EventPublisher publisher;
    private final String name;
    private final LongConsumer onSent;
    private ScheduledExecutorService timer;
    private final java.util.concurrent.atomic.AtomicBoolean nudged = new java.util.concurrent.atomic.AtomicBoolean();
    private final long ackWaitMillis;

    /** Rows sent and not yet deleted, by event id (rounds run one at a time, on the relay's thread). */
    private final Map<String, CompletableFuture<?>> inFlight = new ConcurrentHashMap<>();
    private final List<String> forgetAfterCommit = new ArrayList<>();
    private final StuckLog stuck = new StuckLog();

    /** @param onSent told each sent row's age in milliseconds (for a latency metric), or a no-op */
    public OutboxRelay(DataSource db, EventPublisher publisher, String name, LongConsumer onSent) {
        this(db, publisher, name, onSent, java.time.Duration.ofSeconds(30));
    }

    /** @param ackWait how long a round waits for a row's acknowledgement before it leaves the rest for the next */
    public OutboxRelay(DataSource db, EventPublisher publisher, String name, LongConsumer onSent, java.time.Duration ackWait) {
        this.db = db;
        this.publisher = publisher;
        this.name = name;
        this.onSent = onSent;
        this.ackWaitMillis = ackWait.toMillis();
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

    /** A round soon, on the relay's thread (rounds asked for while one is pending are one round). */
    public void nudge() {
        if (timer != null && nudged.compareAndSet(false, true)) {
            try {
                timer.execute(() -> {
                    nudged.set(false);
                    relay();
                });
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                nudged.set(false);
            }
        }
    }

    public void stop() {
        if (timer != null) {
            timer.shutdown();
        }
    }

    record Row(long id, String topic, String key, String type, String eventId, List<EventHeader> headers, byte[] value, long ageMillis) {
    }

    /** One round: the oldest rows, sent in order, the acknowledged ones deleted; returns how many were sent. */
    public synchronized int relay() {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                int sent = round(c);
                c.commit();
                forgetAfterCommit.forEach(inFlight::remove);
                forgetAfterCommit.clear();
                return sent;
            } catch (Exception ex) {
                forgetAfterCommit.clear();
                c.rollback();
                throw ex;
            }
        } catch (Exception ex) {
            LOG.debugf("%s: %s", name, ex.getMessage());   // the database is away: next round
            return 0;
        }
    }

    private int round(Connection c) throws Exception {
        try (PreparedStatement q = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext(?))")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;   // another instance relays now
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT id, topic, key, type, event_id, headers, value, (extract(epoch FROM clock_timestamp() - created_at) * 1000)::bigint"
                        + " FROM outbox ORDER BY id LIMIT 500");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                List<Map<String, String>> hs = OutboxRows.JSON.readValue(rs.getString(6), new TypeReference<>() { });
                List<EventHeader> headers = hs.stream().map(h -> new EventHeader(h.get("name"), h.get("value"))).toList();
                rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), headers,
                        rs.getBytes(7), rs.getLong(8)));
            }
        }
        List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
        boolean resend = false;
        for (Row r : rows) {
            CompletableFuture<?> pending = inFlight.get(r.eventId());
            // A row sent in an earlier round and still in the producer (Kafka away: its ack waits up
            // to the delivery timeout) is waited for, not sent again: a copy per round would put
            // every outbox row on the topic once per round of the outage. Once one has failed, it and
            // every row after it go again, in order.
            resend |= pending == null || pending.isCompletedExceptionally();
            if (resend) {
                pending = publisher.sendRecord(r.topic(), r.key(), r.headers(), r.value(), r.type(), r.eventId()).toCompletableFuture();
                inFlight.put(r.eventId(), pending);
            }
            acks.add(pending);
        }
        inFlight.keySet().retainAll(rows.stream().map(Row::eventId).toList());
        List<Long> done = new ArrayList<>(rows.size());
        List<String> doneIds = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            try {
                acks.get(i).get(ackWaitMillis, TimeUnit.MILLISECONDS);
            } catch (Exception ex) {
                warn(r, ex);
                break;   // keep the order: this one and the rest wait for the next round
            }
            done.add(r.id());
            doneIds.add(r.eventId());
            onSent.accept(r.ageMillis());
        }
        if (!done.isEmpty()) {
            try (PreparedStatement q = c.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)")) {
                q.setArray(1, c.createArrayOf("bigint", done.toArray()));
                q.executeUpdate();
            }
            // Kept until the delete above commits: a round whose delete fails finds them acknowledged.
            forgetAfterCommit.addAll(doneIds);
        }
        long stuckFor = rows.size() == done.size() ? stuck.recovered() : -1;
        if (stuckFor >= 0) {
            LOG.infof("%s: sending again after %d s", name, stuckFor);
        }
        return done.size();
    }

    private void warn(Row r, Exception ex) {
        if (stuck.failed()) {
            LOG.warnf("%s: %s %s not sent yet (%d rows waiting): %s", name, r.type(), r.eventId(), inFlight.size(), ex.getMessage());
        }
    }
}
