package io.pxewings.orchestrator.timeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.events.EventTypes;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.dhcp.DiscoverSeen;
import io.pxewings.events.machine.MachineRegistered;
import io.pxewings.events.machine.MachineSnapshot;
import io.pxewings.events.run.LifecycleChanged;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventInjector;
import io.pxewings.testsupport.WingsInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * The event log and its live streams on the real broker and database: facts injected as the edges,
 * inventory-service and the orchestrator publish them come back as one machine's timeline, in
 * order, once each; a stream resumes after the last id it was given; a row whose transaction
 * commits late is not stepped over.
 */
@QuarkusTest
@QuarkusTestResource(value = WingsInfraResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class EventStreamTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static EventInjector injector;

    @Inject
    DataSource db;

    @Inject
    EventLog log;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @BeforeAll
    static void connect() {
        injector = new EventInjector(EmbeddedInfra.shared().kafkaBootstrap());
    }

    @AfterAll
    static void disconnect() {
        injector.close();
    }

    @Test
    void aMachinesTimelineHoldsItsEdgeFactsByMacAndItsOwnByIdInOrderOnceEach() {
        String site = site();
        String id = UUID.randomUUID().toString();
        String mac = mac();
        // Before inventory knows the NIC: a DHCP discover, keyed by the MAC only.
        WingsEvent<?> discover = send(EventTypes.DHCP_DISCOVER_SEEN, mac, site, discover(mac));
        Awaitility.await().atMost(WAIT).until(() -> page("machine=" + mac).getList("events").size() == 1);
        send(EventTypes.MACHINE_REGISTERED, id, site, new MachineRegistered(machine(id, mac, site), "test"));
        Awaitility.await().atMost(WAIT).until(() -> given().get("/api/v1/events?machine=" + id).statusCode() == 200
                && page("machine=" + id).getList("events").size() == 2);
        WingsEvent<?> second = send(EventTypes.DHCP_DISCOVER_SEEN, mac, site, discover(mac));
        injector.send(second);   // delivered twice: logged once
        send(EventTypes.MACHINE_LIFECYCLE_CHANGED, id, site, new LifecycleChanged(id, "inventoried", "provisioning", null, "test"));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(page("machine=" + id).getList("events.type")).hasSize(4));

        JsonPath timeline = page("machine=" + id);
        assertThat(timeline.getList("events.type", String.class)).containsExactly(EventTypes.DHCP_DISCOVER_SEEN.type(),
                EventTypes.MACHINE_REGISTERED.type(), EventTypes.DHCP_DISCOVER_SEEN.type(), EventTypes.MACHINE_LIFECYCLE_CHANGED.type());
        assertThat(timeline.getList("events.id", String.class).get(0)).isEqualTo(discover.id());
        assertThat(timeline.getList("events.site", String.class)).containsOnly(site);
        assertThat(timeline.getString("events[0].data.mac")).isEqualTo(mac);
        assertThat(timeline.getString("events[0].specversion")).isEqualTo("1.0");
        assertThat(timeline.getString("events[0].traceparent")).isEqualTo(discover.traceparent().header());
        // The second discover came after the machine was known: it is tied to the machine.
        assertThat(timeline.getString("events[2].machineid")).isEqualTo(id);
        assertThat(timeline.getString("events[0].machineid")).isNull();

        assertThat(page("machine=" + id + "&type=io.pxewings.dhcp.").getList("events")).hasSize(2);
        assertThat(page("site=" + site).getList("events")).hasSize(4);
        // Paging: two at a time, the next page after the last seq of this one.
        JsonPath first = page("site=" + site + "&limit=2");
        long next = first.getLong("next");
        JsonPath rest = page("site=" + site + "&limit=2&after=" + next);
        assertThat(rest.getList("events.id", String.class)).containsExactlyElementsOf(timeline.getList("events.id", String.class).subList(2, 4));
    }

    @Test
    void aStreamCarriesNewFactsAndResumesAfterTheLastIdItWasGiven() throws Exception {
        String site = site();
        String id = UUID.randomUUID().toString();
        String mac = mac();
        send(EventTypes.MACHINE_REGISTERED, id, site, new MachineRegistered(machine(id, mac, site), "test"));
        Awaitility.await().atMost(WAIT).until(() -> given().get("/api/v1/events?machine=" + id).statusCode() == 200);

        List<Sse> seen;
        try (Stream<String> lines = open("/api/v1/events/stream?machine=" + id, null)) {
            BlockingQueue<Sse> events = read(lines);
            Sse registered = take(events);
            assertThat(registered.type).isEqualTo(EventTypes.MACHINE_REGISTERED.type());
            WingsEvent<?> live = send(EventTypes.DHCP_DISCOVER_SEEN, mac, site, discover(mac));
            Sse arrived = take(events);
            assertThat(arrived.data).contains("\"id\":\"" + live.id() + "\"").contains("\"site\":\"" + site + "\"");
            assertThat(Long.parseLong(arrived.id)).isGreaterThan(Long.parseLong(registered.id));
            seen = List.of(registered, arrived);
        }
        // While no one listens:
        WingsEvent<?> missed = send(EventTypes.MACHINE_LIFECYCLE_CHANGED, id, site, new LifecycleChanged(id, "inventoried", "ready", null, "test"));
        Awaitility.await().atMost(WAIT).until(() -> page("machine=" + id).getList("events").size() == 3);
        try (Stream<String> lines = open("/api/v1/events/stream?machine=" + id, seen.get(1).id)) {
            Sse resumed = take(read(lines));
            assertThat(resumed.data).contains("\"id\":\"" + missed.id() + "\"");
        }
        // from=now: what comes next, not the site's history (three facts so far). A fact whose
        // transaction was still open when the stream began may come first: better twice than never.
        try (Stream<String> lines = open("/api/v1/events/stream?site=" + site + "&from=now", null)) {
            BlockingQueue<Sse> events = read(lines);
            WingsEvent<?> next = send(EventTypes.DHCP_DISCOVER_SEEN, mac, site, discover(mac));
            int before = 0;
            while (!take(events).data.contains("\"id\":\"" + next.id() + "\"")) {
                before++;
            }
            assertThat(before).isLessThan(3);
        }
    }

    @Test
    void aRowWhoseTransactionCommitsLateIsNotSteppedOver() throws Exception {
        String site = site();
        Cursor before;
        try (Connection c = db.getConnection()) {
            before = log.now(c);
        }
        try (Connection early = db.getConnection(); Connection late = db.getConnection()) {
            early.setAutoCommit(false);
            insert(early, site, "early");            // its seq and transaction come first, its commit last
            late.setAutoCommit(true);
            insert(late, site, "late");
            try (Connection c = db.getConnection()) {
                assertThat(log.after(c, before, new EventFilter(null, null, site, null), 10)).isEmpty();
            }
            early.commit();
        }
        try (Connection c = db.getConnection()) {
            assertThat(log.after(c, before, new EventFilter(null, null, site, null), 10)).extracting(LoggedEvent::id)
                    .containsExactly(site + "-early", site + "-late");
        }
    }

    /**
     * Transaction ids are numbers: 9 comes before 10. The lab's timeline once listed a machine's
     * last facts first, when the ids went from three digits to four (the query ordered by the text
     * it selected, named like the column). Rows with such ids are written directly, as the ids of a
     * test's own transactions cannot be chosen (and must be older than every running one to be read).
     */
    @Test
    void theLogIsInTransactionOrderAcrossADigitMore() throws Exception {
        String site = site();
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("INSERT INTO event_log (event_id, type, source, site,"
                + " time, data, tx) VALUES (?, 'io.pxewings.test.v1', '/test', ?, now(), '{}', ?::xid8)")) {
            for (String tx : List.of("10", "9", "100")) {
                q.setString(1, site + "-" + tx);
                q.setString(2, site);
                q.setString(3, tx);
                q.executeUpdate();
            }
        }
        try (Connection c = db.getConnection()) {
            assertThat(log.after(c, Cursor.START, new EventFilter(null, null, site, null), 10)).extracting(LoggedEvent::id)
                    .containsExactly(site + "-9", site + "-10", site + "-100");
            List<LoggedEvent> first = log.after(c, Cursor.START, new EventFilter(null, null, site, null), 1);
            assertThat(log.after(c, first.get(0).cursor(), new EventFilter(null, null, site, null), 10)).extracting(LoggedEvent::id)
                    .as("the page after 9").containsExactly(site + "-10", site + "-100");
        }
        assertThat(page("site=" + site).getList("events.id", String.class)).containsExactly(site + "-9", site + "-10", site + "-100");
    }

    @Test
    void badQuestionsAreRefusedWithProblemJson() {
        given().get("/api/v1/events?machine=" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("no machine"));
        given().get("/api/v1/events?after=soon").then().statusCode(400).body("detail", containsString("after"));
        given().get("/api/v1/events?limit=0").then().statusCode(400).body("detail", equalTo("limit: 1 to 1000"));
        given().get("/api/v1/events?type=dhcp").then().statusCode(400).body("detail", containsString("io.pxewings."));
        given().accept("text/event-stream").get("/api/v1/events/stream?from=later").then().statusCode(400)
                .contentType("application/problem+json");
        given().accept("text/event-stream").header("Last-Event-ID", "x").get("/api/v1/events/stream").then().statusCode(400);
    }

    // --- helpers -----------------------------------------------------------------------------------

    record Sse(String id, String type, String data) {
    }

    Stream<String> open(String path, String lastEventId) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            req.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    static BlockingQueue<Sse> read(Stream<String> lines) {
        BlockingQueue<Sse> out = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            String[] f = new String[3];
            try {
                lines.forEach(l -> {
                    if (l.startsWith("id:")) {
                        f[0] = l.substring(3).trim();
                    } else if (l.startsWith("event:")) {
                        f[1] = l.substring(6).trim();
                    } else if (l.startsWith("data:")) {
                        f[2] = l.substring(5).trim();
                    } else if (l.isEmpty() && f[2] != null) {
                        out.add(new Sse(f[0], f[1], f[2]));
                        f[0] = f[1] = f[2] = null;
                    }
                });
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        });
        t.setDaemon(true);
        t.start();
        return out;
    }

    static Sse take(BlockingQueue<Sse> q) throws InterruptedException {
        Sse e = q.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(e).as("an event on the stream within " + WAIT).isNotNull();
        return e;
    }

    static void insert(Connection c, String site, String name) throws Exception {
        try (PreparedStatement q = c.prepareStatement("INSERT INTO event_log (event_id, type, source, site, time, data) "
                + "VALUES (?, 'io.pxewings.test.v1', '/test', ?, now(), '{}')")) {
            q.setString(1, site + "-" + name);
            q.setString(2, site);
            q.executeUpdate();
        }
    }

    static JsonPath page(String query) {
        return given().get("/api/v1/events?" + query).then().statusCode(200).extract().jsonPath();
    }

    static String site() {
        return "ev" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }

    static String mac() {
        long n = ThreadLocalRandom.current().nextLong(1L << 40);
        return String.format("52:54:%02x:%02x:%02x:%02x", (n >> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255);
    }

    static DiscoverSeen discover(String mac) {
        return new DiscoverSeen(mac, "X86_BIOS", 0, "BIOS", "PXEClient:Arch:00000", List.of(), null, null);
    }

    static MachineSnapshot machine(String id, String mac, String site) {
        return new MachineSnapshot(id, site, null, "inventoried", null, null, null, null, null, null, "bios", null, null,
                null, null, null, Map.of(), List.of(new MachineSnapshot.MachineNic(mac, "eth0", null, true, true, null)), List.of(),
                null, 1, Instant.now(), Instant.now());
    }

    static <T extends Record> WingsEvent<T> send(EventType<T> type, String key, String site, T data) {
        WingsEvent<T> e = new WingsEvent<>(UUID.randomUUID().toString(), type, "/wings/" + site + "/test/1", key, site, Instant.now(),
                Traceparent.newRoot(), key, data);
        injector.send(e);
        return e;
    }
}
