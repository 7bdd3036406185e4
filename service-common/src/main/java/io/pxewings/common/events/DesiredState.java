package io.pxewings.common.events;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.pxewings.events.catalog.EventType;
import io.pxewings.events.codec.UnknownEventTypeException;
import io.pxewings.events.codec.WingsEvent;

/**
 * Reads one record of a compacted desired-state topic (boot intents, reservations): a value of the
 * expected type updates the key, a tombstone removes it, anything else of another or unknown type
 * is skipped. A record that is not a valid event throws, for the dead-letter strategy.
 */
public final class DesiredState {

    /** What one record means for the local view. */
    public sealed interface Change<T extends Record> permits Updated, Removed, Skipped {
    }

    /** The key now has this value. */
    public record Updated<T extends Record>(String key, T value) implements Change<T> {
    }

    /** A tombstone: the key has no value any more. */
    public record Removed<T extends Record>(String key) implements Change<T> {
    }

    /** A well-formed event of another (or a newer, unknown) type: not for this view. */
    public record Skipped<T extends Record>(String type) implements Change<T> {
    }

    private DesiredState() {
    }

    /** @throws io.pxewings.events.codec.EventDecodingException for a record that is not an event */
    public static <T extends Record> Change<T> read(ConsumerRecord<String, byte[]> record, EventType<T> expected) {
        if (record.value() == null) {
            return new Removed<>(record.key());
        }
        WingsEvent<?> event;
        try {
            event = IncomingEvents.decode(record);
        } catch (UnknownEventTypeException e) {
            return new Skipped<>(e.type());
        }
        if (event.type() != expected) {
            return new Skipped<>(event.type().type());
        }
        return new Updated<>(record.key(), event.dataAs(expected));
    }
}
