package io.pxewings.events.codec;

import java.time.Instant;
import java.util.Objects;

import io.pxewings.events.catalog.EventType;

/**
 * One CloudEvent of the contract (CloudEvents 1.0 core attributes plus the {@code site} extension
 * and W3C trace context).
 *
 * @param id          unique per event; consumers dedupe on it (delivery is at least once)
 * @param type        the catalog entry it belongs to
 * @param source      {@code /sites/<site>/<service>/<instance>}
 * @param subject     the machine key (boot MAC or machine id) or, for service facts, the instance
 * @param site        the site the fact belongs to; every event carries it
 * @param time        when the fact happened
 * @param traceparent W3C trace context of the work that produced it
 * @param key         Kafka record key (keeps per-machine order); usually equal to the subject
 * @param data        the payload
 * @param <T>         payload type
 */
public record WingsEvent<T extends Record>(String id, EventType<T> type, String source, String subject, String site,
                                           Instant time, Traceparent traceparent, String key, T data) {

    public WingsEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(traceparent, "traceparent");
        Objects.requireNonNull(data, "data");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        if (!type.payload().isInstance(data)) {
            throw new IllegalArgumentException(type.type() + " carries " + type.payload().getSimpleName()
                    + ", not " + data.getClass().getSimpleName());
        }
    }

    /** The payload as its declared type, for a consumer that checked {@link #type()}. */
    public <P extends Record> P dataAs(EventType<P> expected) {
        if (type != expected) {
            throw new IllegalStateException("event is " + type.type() + ", not " + expected.type());
        }
        return expected.payload().cast(data);
    }
}
