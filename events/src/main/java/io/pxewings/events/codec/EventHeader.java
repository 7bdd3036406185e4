package io.pxewings.events.codec;

import java.nio.charset.StandardCharsets;

/** One Kafka record header as the codec writes or reads it (UTF-8 text value). */
public record EventHeader(String name, String value) {

    public byte[] valueBytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    public static EventHeader of(String name, byte[] value) {
        return new EventHeader(name, value == null ? "" : new String(value, StandardCharsets.UTF_8));
    }
}
