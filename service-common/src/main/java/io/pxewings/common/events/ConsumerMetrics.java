package io.pxewings.common.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code wings_events_consumed_total{consumer,type,outcome}}: the one consumer metric every service exposes. */
public final class ConsumerMetrics {

    private ConsumerMetrics() {
    }

    public static void count(MeterRegistry registry, String consumer, String type, String outcome) {
        Counter.builder("wings_events_consumed")
                .description("Events consumed, by consumer, type and outcome (applied, duplicate, removed, skipped, invalid)")
                .tag("consumer", consumer).tag("type", type).tag("outcome", outcome)
                .register(registry).increment();
    }
}
