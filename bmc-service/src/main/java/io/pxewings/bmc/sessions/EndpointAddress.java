package io.pxewings.bmc.sessions;

import java.net.URI;

/**
 * A BMC address as inventory records it, read for its protocol: {@code host}, {@code host:port}
 * or {@code [v6]:port} for IPMI (port 623 by default); for Redfish also a URL,
 * {@code https://host[:port]} ({@code https://} when no scheme is given).
 */
public record EndpointAddress(String host, int port, String scheme) {

    public static EndpointAddress parse(String address, String protocol) {
        if (address == null || address.isBlank() || address.length() > 300 || address.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("BMC address '" + address + "' is empty or has spaces");
        }
        boolean redfish = protocol.equals("redfish");
        String scheme = redfish ? "https" : null;
        String rest = address;
        int sep = address.indexOf("://");
        if (sep > 0) {
            if (!redfish) {
                throw new IllegalArgumentException("an IPMI BMC address is host[:port], not a URL: " + address);
            }
            scheme = address.substring(0, sep);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("a Redfish BMC is reached by https (or http): " + address);
            }
            URI u = URI.create(address);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("BMC address '" + address + "' has no host");
            }
            return new EndpointAddress(u.getHost().replaceAll("^\\[|\\]$", ""), u.getPort() > 0 ? u.getPort()
                    : scheme.equals("https") ? 443 : 80, scheme);
        }
        String host = rest;
        int port = redfish ? 443 : 623;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("BMC address '" + address + "': unclosed [");
            }
            host = rest.substring(1, close);
            if (rest.length() > close + 1) {
                port = port(rest.substring(close + 2), address);
            }
        } else if (rest.chars().filter(c -> c == ':').count() == 1) {
            host = rest.substring(0, rest.indexOf(':'));
            port = port(rest.substring(rest.indexOf(':') + 1), address);
        }
        return new EndpointAddress(host, port, scheme);
    }

    private static int port(String p, String address) {
        try {
            int n = Integer.parseInt(p);
            if (n < 1 || n > 65535) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("BMC address '" + address + "': port '" + p + "'");
        }
    }

    /** The Redfish base URL. */
    public URI uri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + h + ":" + port);
    }
}
