package io.pxewings.orchestrator.timeline;

import java.sql.Connection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.orchestrator.config.OrchestratorConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * The open Server-Sent-Event streams, each fed from the {@link EventLog} after its own cursor by one
 * poller thread. Reading the log rather than the topics keeps every instance's streams whole
 * (an instance consumes only its partitions) and makes a resumed stream exactly the one it left.
 * A stream whose client is slow is not read further until its last sends are done: memory per stream
 * stays at one page. An idle stream gets a comment every {@code keepAlive} so a gone client is noticed.
 */
@ApplicationScoped
public class EventStreams {

    private static final Logger LOG = Logger.getLogger(EventStreams.class);
    static final int PAGE = 200;

    @Inject
    DataSource db;

    @Inject
    EventLog log;

    @Inject
    OrchestratorConfig config;

    @Inject
    MeterRegistry registry;

    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService poller;

    private static final class Stream {
        final SseEventSink sink;
        final Sse sse;
        final EventFilter filter;
        volatile Cursor cursor;
        volatile CompletionStage<?> sending = CompletableFuture.completedFuture(null);
        volatile long lastSentNanos = System.nanoTime();

        Stream(SseEventSink sink, Sse sse, EventFilter filter, Cursor cursor) {
            this.sink = sink;
            this.sse = sse;
            this.filter = filter;
            this.cursor = cursor;
        }
    }

    void start(@Observes StartupEvent e) {
        registry.gaugeCollectionSize("wings_orchestrator_event_streams", List.of(), streams);
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orchestrator-event-streams");
            t.setDaemon(true);
            return t;
        });
        long period = config.eventStreams().period().toMillis();
        poller.scheduleWithFixedDelay(this::round, period, period, TimeUnit.MILLISECONDS);
        poller.scheduleWithFixedDelay(this::prune, 1, 10, TimeUnit.MINUTES);
    }

    private void prune() {
        try (Connection c = db.getConnection()) {
            int gone = log.prune(c, java.time.Instant.now().minus(config.eventStreams().retention()));
            registry.counter("wings_orchestrator_event_log_pruned_total").increment(gone);
        } catch (Exception ex) {
            LOG.warnf("event log not pruned this time: %s", ex.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent e) {
        if (poller != null) {
            poller.shutdownNow();
        }
        streams.forEach(s -> s.sink.close());
    }

    /** Whether another stream may open (each costs a query per period). */
    public boolean hasRoom() {
        return streams.size() < config.eventStreams().max();
    }

    /** Feeds the sink from after the cursor until its client goes. */
    public void open(SseEventSink sink, Sse sse, EventFilter filter, Cursor from) {
        streams.add(new Stream(sink, sse, filter, from));
        poller.execute(this::round);
    }

    private void round() {
        for (Stream s : streams) {
            try {
                feed(s);
            } catch (Exception ex) {
                LOG.warnf("event stream not fed this round: %s", ex.getMessage());
            }
        }
    }

    private void feed(Stream s) throws Exception {
        if (s.sink.isClosed()) {
            streams.remove(s);
            return;
        }
        if (!s.sending.toCompletableFuture().isDone()) {
            return;   // the client has not taken the last page yet
        }
        if (s.sending.toCompletableFuture().isCompletedExceptionally()) {
            close(s);
            return;
        }
        List<LoggedEvent> page;
        try (Connection c = db.getConnection()) {
            page = log.after(c, s.cursor, s.filter, PAGE);
        }
        CompletionStage<?> last = null;
        for (LoggedEvent e : page) {
            last = s.sink.send(s.sse.newEventBuilder().id(Long.toString(e.seq())).name(e.type()).data(e.toJson()).build());
            s.cursor = e.cursor();
        }
        if (last == null && System.nanoTime() - s.lastSentNanos > config.eventStreams().keepAlive().toNanos()) {
            last = s.sink.send(s.sse.newEventBuilder().comment("keep-alive").build());
        }
        if (last != null) {
            s.sending = last;
            s.lastSentNanos = System.nanoTime();
            registry.counter("wings_orchestrator_event_stream_sent_total").increment(page.size());
        }
    }

    private void close(Stream s) {
        streams.remove(s);
        try {
            s.sink.close();
        } catch (RuntimeException ignored) {
            // already gone
        }
    }
}
