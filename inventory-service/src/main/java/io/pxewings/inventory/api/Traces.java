package io.pxewings.inventory.api;

import io.pxewings.events.codec.Traceparent;

/** The trace an API call continues: the caller's W3C traceparent when it sent a valid one, else a new trace. */
public final class Traces {

    private Traces() {
    }

    public static Traceparent of(String header) {
        if (header == null || header.isBlank()) {
            return Traceparent.newRoot();
        }
        try {
            return Traceparent.parse(header);
        } catch (IllegalArgumentException e) {
            return Traceparent.newRoot();
        }
    }
}
