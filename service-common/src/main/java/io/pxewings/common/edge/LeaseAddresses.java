package io.pxewings.common.edge;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.EventTypes;
import io.pxewings.events.codec.UnknownEventTypeException;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.dhcp.LeaseChanged;

/**
 * Which MAC holds which IPv4 address, as the DHCP lease facts tell it: the local view that lets
 * an edge service's facts name the machine behind a client address, with no call to another
 * service. Written by a Kafka consumer thread, read on event loops.
 */
public final class LeaseAddresses {

    /** A site's pools bound it; the cap only keeps a flood of bogus facts from growing it without end. */
    static final int MAX = 1_000_000;

    private final Map<String, String> macByIp = new ConcurrentHashMap<>();
    private final Map<String, String> ipByMac = new ConcurrentHashMap<>();
    private final String site;

    /** @param site the site this instance serves: the facts topic is shared by every site */
    public LeaseAddresses(String site) {
        this.site = site;
    }

    public void bound(String ip, String mac) {
        if (macByIp.size() < MAX || macByIp.containsKey(ip)) {
            String before = macByIp.put(ip, mac);
            if (before != null && !before.equals(mac)) {
                ipByMac.remove(before, ip);   // the address moved to another MAC
            }
            ipByMac.put(mac, ip);
        }
    }

    /** Released or expired: the address no longer names this MAC (unless another took it since). */
    public void ended(String ip, String mac) {
        macByIp.remove(ip, mac);
        ipByMac.remove(mac, ip);
    }

    /** The address a MAC holds now, as the lease facts tell it. */
    public Optional<String> ip(String mac) {
        return Optional.ofNullable(ipByMac.get(mac));
    }

    public Optional<String> mac(String ip) {
        return Optional.ofNullable(macByIp.get(ip));
    }

    public int size() {
        return macByIp.size();
    }

    /** What applying one record did, for the consumer's counter. */
    public record Outcome(String type, String outcome) {
    }

    /**
     * Applies one record of {@code wings.dhcp.facts}: bound and renewed leases name their address,
     * released and expired ones stop naming it; other facts, other sites and newer types are
     * skipped.
     *
     * @throws io.pxewings.events.codec.EventDecodingException for a record that is not an event
     */
    public Outcome apply(ConsumerRecord<String, byte[]> record) {
        WingsEvent<?> event;
        try {
            event = IncomingEvents.decode(record);
        } catch (UnknownEventTypeException newer) {
            return new Outcome("unknown-type", "skipped");   // a type from a newer dhcp-service: not ours to judge
        }
        return apply(event);
    }

    /** {@link #apply(ConsumerRecord)} for an event already decoded. */
    public Outcome apply(WingsEvent<?> event) {
        String type = event.type().type();
        if (!site.equals(event.site())) {
            return new Outcome(type, "other-site");
        }
        if (!(event.data() instanceof LeaseChanged lease)) {
            return new Outcome(type, "skipped");
        }
        if (type.equals(EventTypes.DHCP_LEASE_BOUND.type()) || type.equals(EventTypes.DHCP_LEASE_RENEWED.type())) {
            bound(lease.ip(), lease.mac());
            return new Outcome(type, "applied");
        }
        if (type.equals(EventTypes.DHCP_LEASE_RELEASED.type()) || type.equals(EventTypes.DHCP_LEASE_EXPIRED.type())) {
            ended(lease.ip(), lease.mac());
            return new Outcome(type, "applied");
        }
        return new Outcome(type, "skipped");
    }
}
