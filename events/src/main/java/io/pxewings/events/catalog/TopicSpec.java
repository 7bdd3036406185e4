package io.pxewings.events.catalog;

import java.time.Duration;
import java.util.Objects;

/**
 * One Kafka topic of the contract: how it is keyed, partitioned and kept.
 *
 * @param name        topic name, {@code wings.<domain>.<what>}
 * @param key         what the record key is (e.g. "boot MAC, lower-case colon form")
 * @param partitions  partitions to create; keys keep per-machine order within one partition
 * @param compacted   true for desired-state topics (latest value per key wins)
 * @param retention   how long records are kept; {@code null} means forever (compacted state)
 * @param description one line for the catalog
 */
public record TopicSpec(String name, String key, int partitions, boolean compacted, Duration retention,
                        String description) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
        if (!name.matches("wings(\\.[a-z0-9-]+)+")) {
            throw new IllegalArgumentException("topic name must look like wings.<domain>.<what>: " + name);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + name);
        }
        if (!compacted && retention == null) {
            throw new IllegalArgumentException("a non-compacted topic needs a retention: " + name);
        }
    }

    /** Kafka topic configs for creating this topic. */
    public java.util.Map<String, String> kafkaConfigs() {
        var configs = new java.util.LinkedHashMap<String, String>();
        configs.put("cleanup.policy", compacted ? "compact" : "delete");
        configs.put("retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()));
        return configs;
    }
}
