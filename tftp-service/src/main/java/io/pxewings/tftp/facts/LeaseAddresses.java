package io.pxewings.tftp.facts;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which MAC holds which IPv4 address, as the DHCP lease facts tell it: the local view that lets
 * TFTP facts name the machine, with no call to another service. Written by the Kafka consumer
 * thread, read on the event loop.
 */
@ApplicationScoped
public class LeaseAddresses {

    /** A site's pools bound it; the cap only keeps a flood of bogus facts from growing it without end. */
    static final int MAX = 1_000_000;

    private final Map<String, String> macByIp = new ConcurrentHashMap<>();

    public void bound(String ip, String mac) {
        if (macByIp.size() < MAX || macByIp.containsKey(ip)) {
            macByIp.put(ip, mac);
        }
    }

    /** Released or expired: the address no longer names this MAC (unless another took it since). */
    public void ended(String ip, String mac) {
        macByIp.remove(ip, mac);
    }

    public Optional<String> mac(String ip) {
        return Optional.ofNullable(macByIp.get(ip));
    }

    public int size() {
        return macByIp.size();
    }
}
