package io.pxewings.common.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Locale;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pxewings.events.EventSources;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Who this process is: service name, site, instance, and the CloudEvents source built from them. */
@ApplicationScoped
public class ServiceIdentity {

    private final String service;
    private final String site;
    private final String instance;
    private final String host;
    private final String version;
    private final Instant startedAt = Instant.now();

    @Inject
    public ServiceIdentity(WingsConfig config,
                           @ConfigProperty(name = "quarkus.application.name") String service,
                           @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.service = service;
        this.site = config.site();
        this.host = hostName();
        this.instance = config.instance().orElse(toLabel(host));
        this.version = version;
    }

    public String service() {
        return service;
    }

    public String site() {
        return site;
    }

    public String instance() {
        return instance;
    }

    public String host() {
        return host;
    }

    public String version() {
        return version;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** CloudEvents {@code source}: {@code /sites/<site>/<service>/<instance>}. */
    public String source() {
        return EventSources.of(site, service, instance);
    }

    /** Key and subject of this instance's own service facts. */
    public String key() {
        return service + "/" + instance;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Host names may hold dots and capitals; an instance id is one DNS label. */
    static String toLabel(String host) {
        String label = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (label.length() > 63) {
            label = label.substring(0, 63).replaceAll("-+$", "");
        }
        return label.isEmpty() ? "instance" : label;
    }
}
