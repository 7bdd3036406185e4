package io.pxewings.events.dhcp;

import java.util.List;

/**
 * A DHCPDISCOVER arrived: what the machine's firmware says about itself. The first fact of every
 * boot; inventory-service creates a {@code discovered} machine from it for an unknown MAC.
 *
 * @param mac          boot NIC, lower-case colon form (also the key)
 * @param architecture option 93 as a name (X86_BIOS, X64_UEFI, X64_UEFI_HTTP, ...), UNKNOWN if absent
 * @param archCode     option 93 as a number, -1 if absent
 * @param firmware     BIOS, UEFI or UNKNOWN
 * @param vendorClass  option 60 as sent, "" if absent
 * @param userClass    option 77 entries (["iPXE"] once iPXE runs)
 * @param uuid         option 97 SMBIOS system UUID, or null
 * @param relay        giaddr of the relay it came through, or null when directly attached
 */
public record DiscoverSeen(String mac, String architecture, int archCode, String firmware, String vendorClass,
                           List<String> userClass, String uuid, String relay) {
}
