package io.pxewings.orchestrator.runs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.EventPublisher;
import io.pxewings.common.events.InPlace;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.WingsEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Forwards the facts that move runs to {@code wings.orchestrator.inputs}, keyed by machine id, so
 * the one instance that owns a machine's partition applies all of its facts (the agent's are keyed
 * by boot MAC and the BMC's by machine id: read as they are, two instances could move one run).
 * Records go on unchanged (id, type, headers, payload), with the key they came with in a header.
 * A poll's batch is forwarded at once and its offsets are committed only when every record is
 * acknowledged; a broker that refuses holds the batch, tried again in place, so nothing is lost.
 * What is not an event is dead-lettered here, with its reason; facts that move no run (progress,
 * logs) are counted and left to the event log.
 */
@ApplicationScoped
public class FactRouter {


    static final String AGENT = "orchestrator-agent-facts";
    static final String BMC = "orchestrator-bmc-facts";
    /** The key the fact was published with (a boot MAC for the agent's facts): the engine finds the run by it. */
    static final String ORIGIN_KEY = "wings-origin-key";

    static final Set<EventType<?>> MOVE_RUNS = Set.of(EventTypes.AGENT_INVENTORY_REPORTED, EventTypes.AGENT_TASK_COMPLETED,
            EventTypes.AGENT_TASK_FAILED, EventTypes.AGENT_FIRST_BOOT, EventTypes.BMC_COMMAND_COMPLETED, EventTypes.BMC_COMMAND_FAILED);

    @Inject
    EventPublisher publisher;

    @Inject
    DataSource db;

    @Inject
    MeterRegistry registry;

    @Incoming("agent-facts")
    @Blocking(ordered = true)
    public void agent(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        route(records, AGENT);
    }

    @Incoming("bmc-facts")
    @Blocking(ordered = true)
    public void bmc(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        route(records, BMC);
    }

    private void route(ConsumerRecords<String, byte[]> records, String consumer) throws InterruptedException {
        List<Forward> forwards = new ArrayList<>(records.count());
        Map<ConsumerRecord<String, byte[]>, String> poison = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            WingsEvent<?> e;
            try {
                var decoded = IncomingEvents.decodeOrSkip(record, registry, consumer);
                if (decoded.isEmpty()) {
                    continue;
                }
                e = decoded.get();
            } catch (RuntimeException notAnEvent) {
                poison.put(record, String.valueOf(notAnEvent.getMessage()));
                continue;
            }
            if (!MOVE_RUNS.contains(e.type()) || record.key() == null) {
                ConsumerMetrics.count(registry, consumer, e.type().type(), "skipped");
                continue;
            }
            forwards.add(new Forward(record, e));
        }
        Map<String, String> ids = machineIds(forwards);
        sendUntilAcknowledged(forwards, poison, ids);
        for (Forward f : forwards) {
            ConsumerMetrics.count(registry, consumer, f.event.type().type(), "forwarded");
        }
    }

    private record Forward(ConsumerRecord<String, byte[]> record, WingsEvent<?> event) {
    }

    /** Machine ids of the boot MACs among the keys, in one query; a MAC not in the view keeps its key. */
    private Map<String, String> machineIds(List<Forward> forwards) throws InterruptedException {
        List<String> macs = new ArrayList<>();
        for (Forward f : forwards) {
            if (!io.pxewings.orchestrator.views.Machines.isUuid(f.record.key())) {
                macs.add(f.record.key().toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (macs.isEmpty()) {
            return Map.of();
        }
        return InPlace.retry("machine ids of " + macs.size() + " MACs not read", SQLException.class::isInstance, () -> {
            Map<String, String> ids = new HashMap<>();
            try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("SELECT mac, id FROM machine WHERE mac = ANY (?)")) {
                q.setArray(1, c.createArrayOf("text", macs.toArray()));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        ids.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return ids;
        });
    }

    /** Sends the batch, in order, until the broker acknowledged all of it (a resend is deduplicated by event id downstream). */
    private void sendUntilAcknowledged(List<Forward> forwards, Map<ConsumerRecord<String, byte[]>, String> poison, Map<String, String> ids)
            throws InterruptedException {
        InPlace.retry(forwards.size() + " facts not forwarded yet",
                e -> e instanceof java.util.concurrent.ExecutionException || e instanceof java.util.concurrent.TimeoutException, () -> {
            List<CompletableFuture<Void>> acks = new ArrayList<>(forwards.size() + poison.size());
            for (Forward f : forwards) {
                String origin = f.record.key();
                String key = ids.getOrDefault(origin.toLowerCase(java.util.Locale.ROOT), origin);   // a MAC not in the view keeps its key
                List<EventHeader> headers = headersOf(f.record);
                headers.add(new EventHeader(ORIGIN_KEY, origin));
                acks.add(publisher.sendRecord(Topics.ORCHESTRATOR_INPUTS.name(), key, headers, f.record.value(), f.event.type().type(),
                        f.event.id()).toCompletableFuture());
            }
            for (Map.Entry<ConsumerRecord<String, byte[]>, String> p : poison.entrySet()) {
                ConsumerRecord<String, byte[]> r = p.getKey();
                List<EventHeader> headers = headersOf(r);
                headers.add(new EventHeader("dead-letter-reason", "not an event: " + p.getValue()));
                headers.add(new EventHeader("dead-letter-topic", r.topic()));
                headers.add(new EventHeader("dead-letter-partition", Integer.toString(r.partition())));
                headers.add(new EventHeader("dead-letter-offset", Long.toString(r.offset())));
                acks.add(publisher.sendRecord(Topics.DEAD_LETTER.name(), r.key(), headers, r.value(), "dead-letter", null)
                        .toCompletableFuture());
            }
            return CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        });
    }

    private static List<EventHeader> headersOf(ConsumerRecord<String, byte[]> record) {
        List<EventHeader> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            if (!h.key().equals(ORIGIN_KEY)) {
                headers.add(EventHeader.of(h.key(), h.value()));
            }
        }
        return headers;
    }
}
