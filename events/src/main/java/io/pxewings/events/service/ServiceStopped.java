package io.pxewings.events.service;

import java.time.Instant;

/**
 * A service instance is shutting down in an orderly way (a crash sends nothing: consumers treat a
 * silent instance as gone through their own timeouts).
 *
 * @param service   service name
 * @param instance  instance id
 * @param site      the site it served
 * @param stoppedAt when shutdown began
 * @param uptimeSeconds how long it ran
 */
public record ServiceStopped(String service, String instance, String site, Instant stoppedAt, long uptimeSeconds) {
}
