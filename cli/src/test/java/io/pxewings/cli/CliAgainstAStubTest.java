package io.pxewings.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The CLI against a stub HTTP server on loopback, for what the real orchestrator cannot be made to do
 * on cue: drop a live stream in the middle. (The lab test, LabLauncherTest, runs the CLI against the
 * real suite: provision, run, events.) The stub answers as the orchestrator's API does, problem+json
 * included.
 */
class CliAgainstAStubTest {

    HttpServer server;
    final List<String> lastEventIds = new CopyOnWriteArrayList<>();
    final AtomicInteger streams = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/runs", ex -> {
            if (ex.getRequestMethod().equals("POST")) {
                answer(ex, 409, "application/problem+json", "{\"status\":409,\"title\":\"Conflict\",\"detail\":\"machine m-1 has run r-9 already\"}");
            } else {
                answer(ex, 200, "application/json", "{\"runs\":[{\"id\":\"r-9\",\"mac\":\"52:54:00:00:00:01\",\"site\":\"lab\",\"workflow\":\"provision\","
                        + "\"status\":\"running\",\"stage\":\"write-image\",\"attempt\":1,\"stageTry\":2,\"createdAt\":\"2026-12-05T12:00:00Z\"}]}");
            }
        });
        server.createContext("/api/v1/events/stream", this::stream);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Two events, then the connection drops; a resumed stream gets the third after the id it names. */
    void stream(HttpExchange ex) throws IOException {
        lastEventIds.add(String.valueOf(ex.getRequestHeaders().getFirst("Last-Event-ID")));
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            if (streams.getAndIncrement() == 0) {
                out.write((": keep-alive\n\n" + event(1) + event(2)).getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(event(3).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    static String event(int n) {
        return "id: " + n + "\nevent: io.pxewings.dhcp.discover.seen.v1\ndata: {\"id\":\"e" + n + "\",\"type\":\"io.pxewings.dhcp.discover.seen.v1\","
                + "\"time\":\"2026-12-05T12:00:0" + n + "Z\",\"site\":\"lab\",\"subject\":\"52:54:00:00:00:01\",\"data\":{\"n\":" + n + "}}\n\n";
    }

    static void answer(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    record Ran(int code, String out, String err) {
    }

    Ran wings(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WingsCli.execute(args, Map.of("WINGS_ORCHESTRATOR_URL", "http://127.0.0.1:" + server.getAddress().getPort()),
                new PrintWriter(out), new PrintWriter(err));
        return new Ran(code, out.toString(), err.toString());
    }

    @Test
    void aFollowedStreamThatBreaksResumesAfterTheLastEventPrintedWithNothingTwice() {
        Ran r = wings("events", "--follow", "--count", "3", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("{")).toList()).hasSize(3)
                .allMatch(l -> l.contains("\"site\":\"lab\""));
        assertThat(r.out()).contains("\"id\":\"e1\"", "\"id\":\"e2\"", "\"id\":\"e3\"");
        assertThat(lastEventIds).containsExactly("null", "2");
    }

    @Test
    void aRefusalIsExitOneWithTheProblemsDetail() {
        Ran r = wings("provision", "52:54:00:00:00:01", "--image", "debian:12");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("orchestrator refused /api/v1/runs (409): machine m-1 has run r-9 already");
    }

    @Test
    void runsAreATableForPeopleAndJsonForScripts() {
        Ran table = wings("runs");
        assertThat(table.code()).isZero();
        assertThat(table.out()).containsPattern("RUN\\s+MAC\\s+SITE").containsPattern("r-9\\s+52:54:00:00:00:01\\s+lab\\s+provision\\s+-\\s+running\\s+write-image\\s+1\\.2");
        Ran json = wings("runs", "--json");
        assertThat(json.out().trim()).startsWith("{\"id\":\"r-9\"");
    }

    @Test
    void aServiceOutOfReachIsExitThreeNamingWhereItWasLookedFor() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        StringWriter err = new StringWriter();
        int code = WingsCli.execute(new String[] {"runs"}, Map.of("WINGS_ORCHESTRATOR_PORT", Integer.toString(closed)),
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).isEqualTo(3);
        assertThat(err.toString()).contains("orchestrator is not reachable on http://127.0.0.1:" + closed);
    }

    @Test
    void badUsageIsExitTwoWithHelp() {
        Ran r = wings("power", "lab-1", "explode");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("ACTION: on, off, cycle");
        Ran none = wings("provision", "--image", "x");
        assertThat(none.code()).isEqualTo(2);
        assertThat(wings("provision", "--help").out()).contains("--selector", "--all", "--wait");
    }
}
