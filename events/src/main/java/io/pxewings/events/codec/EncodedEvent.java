package io.pxewings.events.codec;

import java.util.List;

/** An event as a Kafka record: topic, key, headers ({@code ce_*} and friends) and JSON value. */
public record EncodedEvent(String topic, String key, List<EventHeader> headers, byte[] value) {

    public EncodedEvent {
        headers = List.copyOf(headers);
    }
}
