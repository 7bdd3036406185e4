package io.pxewings.dhcp.boot;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.pxewings.dhcp.codec.ClientArchitecture;
import io.pxewings.dhcp.codec.ClientIdentity;
import io.pxewings.dhcp.codec.DhcpPacket;
import io.pxewings.dhcp.codec.OptionCode;
import io.pxewings.dhcp.codec.UserClass;
import io.pxewings.dhcp.codec.VendorClass;

/**
 * What a request says about the machine and its firmware: everything a boot decision and the
 * {@code dhcp.discover.seen} fact need.
 */
public record ClientFacts(String mac, ClientArchitecture arch, VendorClass vendorClass, List<String> userClass,
                          boolean ipxeOptions, Optional<UUID> uuid) {

    public static ClientFacts of(DhcpPacket p) {
        return new ClientFacts(p.mac(), ClientArchitecture.fromOption(p.options()), VendorClass.of(p.options()),
                UserClass.of(p.options()), p.options().has(OptionCode.IPXE_ENCAPSULATED),
                ClientIdentity.machineUuid(p.options()));
    }

    /** iPXE is already running (user class "iPXE" or its option 175): hand it a script, not iPXE again. */
    public boolean isIpxe() {
        return userClass.contains("iPXE") || ipxeOptions;
    }

    /** A network-boot client (PXE or UEFI HTTP Boot firmware, iPXE, or ONIE), as opposed to an OS's DHCP client. */
    public boolean isNetworkBoot() {
        return isIpxe() || vendorClass.kind() == VendorClass.Kind.PXE || vendorClass.kind() == VendorClass.Kind.HTTP_BOOT
                || vendorClass.kind() == VendorClass.Kind.ONIE;
    }
}
