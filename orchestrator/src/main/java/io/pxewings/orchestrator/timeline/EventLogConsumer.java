package io.pxewings.orchestrator.timeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.InPlace;
import io.pxewings.common.events.IncomingEvents;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Appends the facts a machine's timeline is made of (dhcp, tftp, http-boot, agent, bmc, machine and
 * run facts) to the {@link EventLog}, a poll's batch in one transaction. All instances share one
 * consumer group; the event id makes a redelivered fact a no-op.
 *
 * <p>A record that is not an event is counted and passed over here, not dead-lettered: each of these
 * topics has an owning consumer that dead-letters it already, and one bad record must not hold up a
 * batch of good ones. A database that is away holds the batch, tried again in place, so nothing is lost.
 */
@ApplicationScoped
public class EventLogConsumer {

    static final String NAME = "orchestrator-event-log";

    @Inject
    DataSource db;

    @Inject
    EventLog log;

    @Inject
    MeterRegistry registry;

    @Incoming("timeline-facts")
    @Blocking(ordered = true)
    public void append(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<EventLog.Appended> facts = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                IncomingEvents.decodeOrSkip(record, registry, NAME).ifPresent(e -> facts.add(new EventLog.Appended(e, record.value())));
            } catch (RuntimeException notAnEvent) {
                // counted and logged by decodeOrSkip; the topic's owner dead-letters it
            }
        }
        int added = appendUntilStored(facts);
        registry.counter("wings_orchestrator_event_log_appended_total").increment(added);
        if (added < facts.size()) {
            ConsumerMetrics.count(registry, NAME, "any", "duplicate");
        }
    }

    private int appendUntilStored(List<EventLog.Appended> facts) throws InterruptedException {
        return InPlace.retry(facts.size() + " facts not logged yet", SQLException.class::isInstance, () -> {
            try (Connection c = db.getConnection()) {
                return log.append(c, facts);
            }
        });
    }
}
