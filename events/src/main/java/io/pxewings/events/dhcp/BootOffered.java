package io.pxewings.events.dhcp;

/**
 * An OFFER or ACK told a network-boot client what to boot, and why.
 *
 * @param mac        boot NIC (the key)
 * @param message    OFFER or ACK
 * @param ip         the address offered
 * @param bootFile   'file' / option 67, or null
 * @param nextServer siaddr for TFTP stages, or null
 * @param defaultUrl option 114 (ONIE), or null
 * @param reason     the rule that chose it, in words
 */
public record BootOffered(String mac, String message, String ip, String bootFile, String nextServer, String defaultUrl,
                          String reason) {
}
