package io.pxewings.dhcp.config;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pxewings.dhcp.boot.SiteBootDefaults;
import io.pxewings.dhcp.codec.Hex;
import io.pxewings.dhcp.lease.Ipv4;
import io.pxewings.dhcp.lease.Subnet;
import io.pxewings.dhcp.server.DhcpEngine;

/**
 * Turns {@link DhcpConfig} into the engine's settings, checking what a pattern cannot (pools inside
 * their network, a server address when bound to every address). Errors name the key.
 */
public final class DhcpSite {

    private DhcpSite() {
    }

    public static DhcpEngine.Settings settings(DhcpConfig c) {
        Inet4Address bind = Ipv4.parse(c.bindAddress());
        Inet4Address server = c.serverAddress().map(Ipv4::parse).orElse(bind);
        if (server.isAnyLocalAddress()) {
            throw new IllegalArgumentException("wings.dhcp.server-address is required when wings.dhcp.bind-address is 0.0.0.0");
        }
        Inet4Address broadcast = c.broadcastAddress().map(Ipv4::parse)
                .orElse(bind.isLoopbackAddress() ? bind : Ipv4.parse("255.255.255.255"));
        return new DhcpEngine.Settings(server, subnets(c), c.offerHold(), c.declineQuarantine(), broadcast, c.clientPort(),
                c.discovery());
    }

    static List<Subnet> subnets(DhcpConfig c) {
        List<Subnet> out = new ArrayList<>();
        for (var e : new java.util.TreeMap<>(c.subnets()).entrySet()) {
            String key = "wings.dhcp.subnets." + e.getKey();
            DhcpConfig.SubnetConfig s = e.getValue();
            try {
                long[] cidr = Subnet.parseCidr(s.network());
                List<Subnet.Range> pools = s.pools().stream().map(Subnet::parseRange).toList();
                out.add(new Subnet(e.getKey(), Ipv4.of(cidr[0]), (int) cidr[1], pools,
                        s.router().map(Ipv4::parse).orElse(null),
                        s.dns().orElse(List.of()).stream().map(Ipv4::parse).toList(), s.leaseTime(),
                        s.minLeaseTime().orElse(s.leaseTime())));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(key + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /** Reservations, MAC (lower-case colon form) to address. */
    public static Map<String, Inet4Address> reservations(DhcpConfig c) {
        Map<String, Inet4Address> out = new LinkedHashMap<>();
        c.reservations().forEach((mac, ip) -> {
            String m = mac.toLowerCase().replace('-', ':');
            if (!m.matches(Hex.MAC_PATTERN)) {
                throw new IllegalArgumentException("wings.dhcp.reservations: '" + mac + "' is not a MAC address");
            }
            try {
                out.put(m, Ipv4.parse(ip));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("wings.dhcp.reservations.\"" + mac + "\": " + ex.getMessage(), ex);
            }
        });
        return out;
    }

    public static SiteBootDefaults boot(DhcpConfig c, Inet4Address server) {
        DhcpConfig.BootConfig b = c.boot();
        if (b.firstStageWindow().isNegative() || b.firstStageWindow().isZero()) {
            throw new IllegalArgumentException("wings.dhcp.boot.first-stage-window must be positive, not " + b.firstStageWindow());
        }
        String http = b.httpBase();
        return new SiteBootDefaults(b.tftpServer().orElse(Ipv4.text(server)), b.biosFile(), b.uefiFile(), b.arm64File(),
                http + "/files/" + b.uefiHttpFile(), http + "/files/" + b.arm64HttpFile(),
                // iPXE expands these settings in a DHCP-supplied file name before fetching it; the
                // SMBIOS strings may hold spaces and '&', so iPXE URI-encodes them (:uristring). At
                // about 220 bytes the URL fits option 67 (255), not the 128-byte 'file' field.
                http + "/boot.ipxe?mac=${net0/mac}&buildarch=${buildarch}&platform=${platform}&uuid=${uuid}"
                        + "&serial=${serial:uristring}&manufacturer=${manufacturer:uristring}"
                        + "&product=${product:uristring}&asset=${asset:uristring}",
                b.onieUrl().orElse(""), b.ipxeFirmware(), b.firstStageWindow());
    }
}
