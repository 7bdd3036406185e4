package io.pxewings.events.service;

import java.time.Instant;

/**
 * A service instance finished starting and is about to report ready.
 *
 * @param service   service name, e.g. {@code dhcp-service}
 * @param instance  instance id, unique within the site (host name by default)
 * @param site      the site it serves
 * @param version   build version
 * @param host      host name it runs on
 * @param pid       operating-system process id
 * @param httpUrl   its admin/API base URL
 * @param startedAt when it started
 */
public record ServiceStarted(String service, String instance, String site, String version, String host, long pid,
                             String httpUrl, Instant startedAt) {
}
