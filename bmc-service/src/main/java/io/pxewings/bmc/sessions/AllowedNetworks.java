package io.pxewings.bmc.sessions;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks BMC addresses may be in ({@code wings.bmc.allowed-networks}, CIDR): an endpoint
 * elsewhere is refused before any packet leaves, so a typo or a forged endpoint cannot turn
 * bmc-service into a client of an arbitrary host.
 */
public final class AllowedNetworks {

    private record Network(byte[] prefix, int bits) {
        boolean contains(byte[] a) {
            if (a.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            return rest == 0 || ((a[full] ^ prefix[full]) & (0xff << (8 - rest)) & 0xff) == 0;
        }
    }

    private final List<Network> networks = new ArrayList<>();
    private final List<String> text;

    public AllowedNetworks(List<String> cidrs) {
        this.text = List.copyOf(cidrs);
        for (String c : cidrs) {
            String[] parts = c.trim().split("/");
            try {
                if (parts.length != 2 || !parts[0].matches("[0-9a-fA-F:.]+")) {
                    throw new IllegalArgumentException();
                }
                byte[] prefix = InetAddress.getByName(parts[0]).getAddress();
                int bits = Integer.parseInt(parts[1]);
                if (bits < 0 || bits > prefix.length * 8) {
                    throw new IllegalArgumentException();
                }
                networks.add(new Network(prefix, bits));
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new IllegalArgumentException("wings.bmc.allowed-networks: '" + c + "' is not a network like 10.0.0.0/8");
            }
        }
    }

    public boolean allows(InetAddress address) {
        byte[] a = address.getAddress();
        return networks.stream().anyMatch(n -> n.contains(a));
    }

    @Override
    public String toString() {
        return String.join(",", text);
    }
}
