package io.pxewings.orchestrator.timeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.pxewings.orchestrator.runs.RunRefused;
import io.pxewings.orchestrator.views.Machines;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * Facts as a machine's or a site's timeline: a page of them ({@code GET /api/v1/events}), or a live
 * stream (Server-Sent Events, {@code GET /api/v1/events/stream}) that resumes after the
 * {@code Last-Event-ID} it is given. Each fact is a CloudEvent in structured JSON; its {@code seq}
 * is the id to resume from.
 */
@Path("/api/v1/events")
@Blocking
public class EventResource {

    private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    @Inject
    DataSource db;

    @Inject
    EventLog log;

    @Inject
    Machines machines;

    @Inject
    EventStreams streams;

    /** A page of facts and the seq to ask for the next page with ({@code after}); null when the page was the last. */
    public record Page(List<com.fasterxml.jackson.databind.node.ObjectNode> events, Long next) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Page page(@QueryParam("machine") String machine, @QueryParam("site") String site, @QueryParam("type") String type,
                     @QueryParam("after") String after, @QueryParam("limit") @DefaultValue("100") int limit) throws SQLException {
        if (limit < 1 || limit > 1000) {
            throw new RunRefused(400, "limit: 1 to 1000");
        }
        try (Connection c = db.getConnection()) {
            EventFilter filter = filter(c, machine, site, type);
            Cursor from = after == null ? Cursor.START : resume(c, after, "after");
            List<LoggedEvent> page = log.after(c, from, filter, limit);
            return new Page(page.stream().map(LoggedEvent::toCloudEvent).toList(),
                    page.size() < limit ? null : page.get(page.size() - 1).seq());
        }
    }

    /**
     * The live stream. Without {@code Last-Event-ID} it starts at the oldest fact held, or with
     * {@code from=now} at the facts of transactions still running or yet to come (a fact that
     * committed a moment before the stream opened may come too: better twice than never); a {@code Last-Event-ID} the log no longer holds (older than
     * its retention) starts at the oldest fact held, and the client drops what it has by event id.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Context SseEventSink sink, @Context Sse sse, @QueryParam("machine") String machine,
                       @QueryParam("site") String site, @QueryParam("type") String type,
                       @QueryParam("from") @DefaultValue("beginning") String from,
                       @HeaderParam("Last-Event-ID") String lastEventId) throws SQLException {
        if (!from.equals("beginning") && !from.equals("now")) {
            throw new RunRefused(400, "from: beginning or now, got '" + from + "'");
        }
        if (!streams.hasRoom()) {
            throw new RunRefused(503, "this instance has as many event streams open as it serves; try another instance or later");
        }
        Cursor cursor;
        EventFilter filter;
        try (Connection c = db.getConnection()) {
            filter = filter(c, machine, site, type);
            if (lastEventId != null && !lastEventId.isBlank()) {
                cursor = resume(c, lastEventId.trim(), "Last-Event-ID");
            } else {
                cursor = from.equals("now") ? log.now(c) : Cursor.START;
            }
        }
        streams.open(sink, sse, filter, cursor);
    }

    private Cursor resume(Connection c, String seq, String what) throws SQLException {
        long n;
        try {
            n = Long.parseLong(seq);
        } catch (NumberFormatException e) {
            throw new RunRefused(400, what + ": the seq of an event, a number, got '" + seq + "'");
        }
        if (n < 0) {
            throw new RunRefused(400, what + ": the seq of an event, 0 or more, got " + n);
        }
        return n == 0 ? Cursor.START : log.cursorOf(c, n).orElse(Cursor.START);
    }

    private EventFilter filter(Connection c, String machine, String site, String type) throws SQLException {
        String id = null;
        String mac = null;
        if (machine != null) {
            var known = machines.find(c, machine);
            if (known.isPresent()) {
                id = known.get().id();
                mac = known.get().mac();
            } else if (MAC.matcher(machine).matches()) {
                mac = machine;   // a NIC no machine has yet: its DHCP and boot facts
            } else {
                throw new RunRefused(404, "no machine " + machine);
            }
        }
        if (type != null && !type.startsWith("io.pxewings.")) {
            throw new RunRefused(400, "type: a prefix of event types, starting with io.pxewings., got '" + type + "'");
        }
        return new EventFilter(id, mac, site, type);
    }
}
