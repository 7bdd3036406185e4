package io.pxewings.orchestrator.services;

import java.time.Instant;

/** One service instance as the orchestrator last heard of it. {@code state} is running, stopped or stale. */
public record ServiceInstance(String site, String service, String instance, String state, String version, String host,
                              Long pid, String httpUrl, Instant startedAt, Instant stoppedAt, Instant lastSeen) {
}
