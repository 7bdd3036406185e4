package io.pxewings.orchestrator.timeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One fact as the event log keeps it: its CloudEvents attributes, its data as the JSON the topic
 * carried, and its place in the log ({@code seq}, the id a stream resumes from).
 */
public record LoggedEvent(long seq, Cursor cursor, String id, String type, String source, String site, String subject,
                          String machineId, Instant time, String traceparent, String data) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The fact in CloudEvents' structured JSON form (CloudEvents 1.0, JSON event format section 3),
     * as streams and pages hand it out: the attributes, the {@code site} extension, and {@code data}.
     */
    public ObjectNode toCloudEvent() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("specversion", "1.0");
        n.put("id", id);
        n.put("type", type);
        n.put("source", source);
        if (subject != null) {
            n.put("subject", subject);
        }
        n.put("time", time.toString());
        n.put("site", site);
        if (machineId != null) {
            n.put("machineid", machineId);
        }
        if (traceparent != null) {
            n.put("traceparent", traceparent);
        }
        n.put("datacontenttype", "application/json");
        try {
            n.set("data", MAPPER.readTree(data));
        } catch (IOException e) {
            throw new UncheckedIOException("event " + id + " holds data that is not JSON", e);
        }
        n.put("seq", seq);
        return n;
    }

    public String toJson() {
        return toCloudEvent().toString();
    }
}
