package io.pxewings.events.catalog;

import java.util.Objects;

/**
 * One CloudEvent type of the contract, bound to the topic it travels on and its payload record.
 *
 * @param type        CloudEvents {@code type}, {@code io.pxewings.<domain>.<fact>.v<N>}
 * @param topic       the topic it is published to
 * @param payload     the record its JSON {@code data} maps to
 * @param subject     what the CloudEvents {@code subject} (and the Kafka key) holds
 * @param description one line for the catalog
 * @param <T>         payload type
 */
public record EventType<T extends Record>(String type, TopicSpec topic, Class<T> payload, String subject,
                                          String description) {

    /** CloudEvents type names of this project: reverse-DNS, a past-tense fact or a command, a version. */
    public static final String TYPE_PATTERN = "io\\.pxewings(\\.[a-z][a-z0-9-]*)+\\.v[0-9]+";

    public EventType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(description, "description");
        if (!type.matches(TYPE_PATTERN)) {
            throw new IllegalArgumentException("event type must look like io.pxewings.<domain>.<fact>.v1: " + type);
        }
    }
}
