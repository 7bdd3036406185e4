package io.pxewings.dhcp.boot;

import java.util.Optional;

/**
 * What a client is told to boot, and why (the debug endpoint and {@code dhcp.boot.offered} show it).
 *
 * @param bootFile     the 'file' field and option 67, or empty for none
 * @param nextServer   siaddr (the TFTP server), or empty
 * @param vendorClass  option 60 to echo ("HTTPClient" for UEFI HTTP Boot, "PXEClient" for PXE), or empty
 * @param defaultUrl   option 114 (ONIE installer URL), or empty
 * @param noProxyDhcp  send iPXE option 175.176 = 1 so iPXE does not wait for ProxyDHCP offers
 * @param reason       one line: which rule chose this
 */
public record BootDecision(Optional<String> bootFile, Optional<String> nextServer, Optional<String> vendorClass,
                           Optional<String> defaultUrl, boolean noProxyDhcp, String reason) {

    public static BootDecision none(String reason) {
        return new BootDecision(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, reason);
    }

    /** The same answer, its reason prefixed by the rule that chose it (e.g. "boot intent 'discover'; "). */
    BootDecision because(String prefix) {
        return new BootDecision(bootFile, nextServer, vendorClass, defaultUrl, noProxyDhcp, prefix + reason);
    }
}
