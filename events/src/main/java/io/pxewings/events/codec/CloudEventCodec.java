package io.pxewings.events.codec;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.pxewings.events.EventCatalog;
import io.pxewings.events.catalog.EventType;

/**
 * The one codec of the contract: CloudEvents 1.0 in the Kafka protocol binding's binary content
 * mode (cloudevents/spec kafka-protocol-binding.md §3.2): every context attribute is a
 * {@code ce_<name>} header with a UTF-8 value, {@code datacontenttype} is the {@code content-type}
 * header, and the record value is the event data as JSON. Trace context travels in the W3C
 * {@code traceparent} header, the one OpenTelemetry's Kafka instrumentation reads.
 */
public final class CloudEventCodec {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";
    public static final String H_SPECVERSION = "ce_specversion";
    public static final String H_ID = "ce_id";
    public static final String H_SOURCE = "ce_source";
    public static final String H_TYPE = "ce_type";
    public static final String H_SUBJECT = "ce_subject";
    public static final String H_TIME = "ce_time";
    public static final String H_SITE = "ce_site";
    public static final String H_CONTENT_TYPE = "content-type";
    public static final String H_TRACEPARENT = "traceparent";

    // Unknown properties are ignored so that a v1 consumer accepts payloads a newer producer
    // extended with optional fields (additive changes keep the version; breaking ones bump it).
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private CloudEventCodec() {
    }

    public static EncodedEvent encode(WingsEvent<?> event) {
        List<EventHeader> headers = new ArrayList<>(9);
        headers.add(new EventHeader(H_SPECVERSION, SPEC_VERSION));
        headers.add(new EventHeader(H_ID, event.id()));
        headers.add(new EventHeader(H_SOURCE, event.source()));
        headers.add(new EventHeader(H_TYPE, event.type().type()));
        if (event.subject() != null) {
            headers.add(new EventHeader(H_SUBJECT, event.subject()));
        }
        headers.add(new EventHeader(H_TIME, event.time().toString()));
        headers.add(new EventHeader(H_SITE, event.site()));
        headers.add(new EventHeader(H_CONTENT_TYPE, CONTENT_TYPE));
        headers.add(new EventHeader(H_TRACEPARENT, event.traceparent().header()));
        return new EncodedEvent(event.type().topic().name(), event.key(), headers, toJson(event.data()));
    }

    /**
     * Reads a record back into an event.
     *
     * @throws UnknownEventTypeException for a valid CloudEvent of a type this build does not know
     * @throws EventDecodingException    for anything that is not a valid event of the contract
     */
    public static WingsEvent<?> decode(String key, List<EventHeader> headers, byte[] value) {
        Map<String, String> h = new HashMap<>();
        for (EventHeader header : headers) {
            h.put(header.name(), header.value());
        }
        String specVersion = h.get(H_SPECVERSION);
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new EventDecodingException("not a CloudEvents 1.0 binary-mode record (ce_specversion=" + specVersion + ")");
        }
        String typeName = required(h, H_TYPE);
        EventType<?> type = EventCatalog.find(typeName).orElseThrow(() -> new UnknownEventTypeException(typeName));
        String contentType = h.getOrDefault(H_CONTENT_TYPE, CONTENT_TYPE);
        if (!contentType.startsWith(CONTENT_TYPE)) {
            throw new EventDecodingException(typeName + ": data must be " + CONTENT_TYPE + ", was " + contentType);
        }
        Traceparent trace = h.containsKey(H_TRACEPARENT) ? parseTrace(h.get(H_TRACEPARENT)) : Traceparent.newRoot();
        return build(type, required(h, H_ID), required(h, H_SOURCE), h.get(H_SUBJECT), required(h, H_SITE),
                parseTime(required(h, H_TIME)), trace, key, value);
    }

    /** The JSON the codec writes for a payload (also used by the REST views of events). */
    public static byte[] toJson(Record data) {
        try {
            return JSON.writeValueAsBytes(data);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise " + data.getClass().getSimpleName(), e);
        }
    }

    private static <T extends Record> WingsEvent<T> build(EventType<T> type, String id, String source, String subject,
                                                          String site, Instant time, Traceparent trace, String key,
                                                          byte[] value) {
        if (value == null || value.length == 0) {
            throw new EventDecodingException(type.type() + " " + id + ": empty data");
        }
        T data;
        try {
            data = JSON.readValue(value, type.payload());
        } catch (JsonProcessingException e) {
            throw new EventDecodingException(type.type() + " " + id + ": data is not a valid "
                    + type.payload().getSimpleName() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new EventDecodingException(type.type() + " " + id + ": unreadable data", e);
        }
        if (data == null) {
            throw new EventDecodingException(type.type() + " " + id + ": data is null");
        }
        return new WingsEvent<>(id, type, source, subject, site, time, trace, key, data);
    }

    private static String required(Map<String, String> headers, String name) {
        String v = headers.get(name);
        if (v == null || v.isBlank()) {
            throw new EventDecodingException("missing required header " + name);
        }
        return v;
    }

    private static Instant parseTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new EventDecodingException("ce_time is not an RFC 3339 timestamp: " + text, e);
        }
    }

    private static Traceparent parseTrace(String text) {
        try {
            return Traceparent.parse(text);
        } catch (IllegalArgumentException e) {
            // W3C trace context §3.2: an invalid traceparent is ignored and a new trace starts.
            return Traceparent.newRoot();
        }
    }
}
