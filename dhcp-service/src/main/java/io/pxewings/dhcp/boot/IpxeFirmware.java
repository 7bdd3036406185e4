package io.pxewings.dhcp.boot;

/**
 * What a site does with iPXE that is already running when a machine first asks (iPXE in a NIC's
 * option ROM, or a VM's): {@code wings.dhcp.boot.ipxe-firmware}.
 */
public enum IpxeFirmware {
    /** Hand it the HTTP script at once: the shortest boot. */
    SCRIPT,
    /**
     * Treat it as PXE firmware: hand it the site's first stage over TFTP once per boot, so every
     * machine runs the site's own iPXE build (not an old ROM's) and boots the way a machine with a
     * vendor PXE ROM does. {@link FirstStageHandouts} breaks the loop.
     */
    CHAINLOAD
}
