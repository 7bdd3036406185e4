package io.pxewings.dhcp.facts;

import java.net.Inet4Address;

import io.pxewings.common.events.EventPublisher;
import io.pxewings.dhcp.boot.BootDecision;
import io.pxewings.dhcp.boot.ClientFacts;
import io.pxewings.dhcp.lease.Ipv4;
import io.pxewings.dhcp.lease.Lease;
import io.pxewings.events.EventTypes;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.dhcp.BootOffered;
import io.pxewings.events.dhcp.DiscoverSeen;
import io.pxewings.events.dhcp.LeaseChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Publishes what the DHCP server saw and did. Fire and forget: publishing only hands the event to
 * the emitter's bounded buffer, so serving never waits on Kafka; what does not fit is counted by
 * the publisher, not retried here.
 */
@ApplicationScoped
public class DhcpFacts {

    @Inject
    EventPublisher publisher;

    public void discoverSeen(ClientFacts c, Inet4Address relay) {
        publisher.publish(EventTypes.DHCP_DISCOVER_SEEN, c.mac(), new DiscoverSeen(c.mac(), c.arch().name(),
                c.arch().code(), c.arch().firmware().name(), c.vendorClass().raw(), c.userClass(),
                c.uuid().map(Object::toString).orElse(null), relay.isAnyLocalAddress() ? null : Ipv4.text(relay)));
    }

    public void bootOffered(String mac, String message, Inet4Address ip, BootDecision d) {
        if (d.bootFile().isEmpty() && d.defaultUrl().isEmpty()) {
            return;
        }
        publisher.publish(EventTypes.DHCP_BOOT_OFFERED, mac, new BootOffered(mac, message, Ipv4.text(ip),
                d.bootFile().orElse(null), d.nextServer().orElse(null), d.defaultUrl().orElse(null), d.reason()));
    }

    /** @param mac the client; for a declined address the lease itself no longer names one */
    public void leaseChanged(EventType<LeaseChanged> type, String mac, Lease l) {
        publisher.publish(type, mac, new LeaseChanged(mac, Ipv4.text(l.ip()), l.subnet(), l.hostname(), l.expiresAt()));
    }
}
