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
}
