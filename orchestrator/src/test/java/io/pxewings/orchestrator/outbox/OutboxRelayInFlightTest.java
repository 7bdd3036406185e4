package io.pxewings.orchestrator.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.pxewings.common.events.EventPublisher;
import io.pxewings.common.outbox.OutboxRelay;
import io.pxewings.common.outbox.OutboxRows;
import io.pxewings.events.EventTypes;
import io.pxewings.events.bmc.BmcCommand;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.testsupport.EmbeddedInfra;

/**
 * The outbox relay while Kafka is away (issue 18): a row whose acknowledgement has not come is
 * waited for, not sent again each round (the lab's 60 s outage would otherwise put each pending row
 * on the topic once per round); a row whose send failed goes again, with every row after it, in
 * order. The producer here is a stand-in whose acknowledgements the test hands out, because what is
 * checked is how often the relay sends, which a real broker cannot be made to hold back on cue;
 * the database is the real one, with the orchestrator's own outbox table.
 */
class OutboxRelayInFlightTest {

    static PGSimpleDataSource db;

    /** Every send the relay made, with the acknowledgement the test completes or fails. */
    static final class HeldProducer extends EventPublisher {
        final List<String> sent = new ArrayList<>();
        final List<CompletableFuture<Void>> acks = new ArrayList<>();

        @Override
        public synchronized CompletionStage<Void> sendRecord(String topic, String key, List<EventHeader> headers, byte[] value,
                                                             String type, String eventId) {
            sent.add(eventId);
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks.add(ack);
            return ack;
        }
    }

    @BeforeAll
    static void database() throws Exception {
        String name = "relay_" + ProcessHandle.current().pid();
        var pg = EmbeddedInfra.shared();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        db = new PGSimpleDataSource();
        db.setURL(pg.jdbcUrl(name));
        db.setUser("postgres");
        db.setPassword("postgres");
        // The table exactly as the orchestrator's migration makes it.
        String migration = Files.readString(Path.of("src/main/resources/db/migration/V2__runs.sql"));
        Matcher table = Pattern.compile("CREATE TABLE outbox \\(.*?\\n\\);", Pattern.DOTALL).matcher(migration);
        assertThat(table.find()).as("the outbox table in V2__runs.sql").isTrue();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(table.group());
        }
    }

    static String add() throws Exception {
        String id = UUID.randomUUID().toString();
        String machine = UUID.randomUUID().toString();
        BmcCommand command = new BmcCommand(id, machine, "power-on", null, null, null, null, "test");
        try (Connection c = db.getConnection()) {
            OutboxRows.add(c, new WingsEvent<>(id, EventTypes.BMC_COMMAND_REQUESTED, "/sites/test/orchestrator/test-1", machine, "test",
                    Instant.now(), Traceparent.newRoot(), machine, command));
        }
        return id;
    }

    static int rows() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aRowWaitingForItsAckIsNotSentAgainAndAFailedOneGoesAgainInOrder() throws Exception {
        HeldProducer kafka = new HeldProducer();
        OutboxRelay relay = new OutboxRelay(db, kafka, "relay-test", ms -> { }, Duration.ofMillis(100));
        String a = add();
        String b = add();

        assertThat(relay.relay()).as("no acknowledgement yet").isZero();
        assertThat(relay.relay()).isZero();
        assertThat(relay.relay()).isZero();
        assertThat(kafka.sent).as("sent once, however many rounds wait for it").containsExactly(a, b);
        assertThat(rows()).isEqualTo(2);

        // Kafka is back: the first round after acknowledges and deletes both, sending nothing more.
        kafka.acks.forEach(ack -> ack.complete(null));
        assertThat(relay.relay()).isEqualTo(2);
        assertThat(rows()).isZero();
        assertThat(kafka.sent).containsExactly(a, b);

        // A send that failed for good (the producer's delivery timeout) goes again, and so does
        // every row after it, still pending or not, so that their order on the topic is kept.
        String c = add();
        String d = add();
        assertThat(relay.relay()).isZero();
        kafka.acks.get(2).completeExceptionally(new org.apache.kafka.common.errors.TimeoutException("expired in the producer"));
        assertThat(relay.relay()).isZero();
        assertThat(kafka.sent).containsExactly(a, b, c, d, c, d);
        kafka.acks.subList(4, 6).forEach(ack -> ack.complete(null));
        assertThat(relay.relay()).isEqualTo(2);
        assertThat(rows()).isZero();
    }
}
