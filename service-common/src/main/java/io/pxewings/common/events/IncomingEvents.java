package io.pxewings.common.events;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.pxewings.events.codec.CloudEventCodec;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.WingsEvent;

/** Turns a consumed Kafka record back into an event with the one codec. */
public final class IncomingEvents {

    private IncomingEvents() {
    }

    /**
     * @throws io.pxewings.events.codec.UnknownEventTypeException for a type this build does not know
     * @throws io.pxewings.events.codec.EventDecodingException     for a record that is not an event
     */
    public static WingsEvent<?> decode(ConsumerRecord<String, byte[]> record) {
        List<EventHeader> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            headers.add(EventHeader.of(h.key(), h.value()));
        }
        return CloudEventCodec.decode(record.key(), headers, record.value());
    }

    /**
     * Decodes a consumed record for {@code consumer}, counting what cannot be read: empty for a
     * type this build does not know (skipped: a newer producer), and for a record that is not an
     * event the exception, after counting and logging it, for the connector to dead-letter.
     */
    public static java.util.Optional<WingsEvent<?>> decodeOrSkip(ConsumerRecord<String, byte[]> record,
                                                                  io.micrometer.core.instrument.MeterRegistry registry, String consumer) {
        try {
            return java.util.Optional.of(decode(record));
        } catch (io.pxewings.events.codec.UnknownEventTypeException newer) {
            ConsumerMetrics.count(registry, consumer, "unknown-type", "skipped");
            return java.util.Optional.empty();
        } catch (RuntimeException poison) {
            ConsumerMetrics.count(registry, consumer, "undecodable", "invalid");
            org.jboss.logging.Logger.getLogger(IncomingEvents.class).warnf("%s: record %s-%d@%d is not an event (%s); dead-lettered",
                    consumer, record.topic(), record.partition(), record.offset(), poison.getMessage());
            throw poison;
        }
    }
}
