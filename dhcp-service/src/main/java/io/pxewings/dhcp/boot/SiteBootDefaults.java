package io.pxewings.dhcp.boot;

/**
 * The site's boot files and URLs, used when a machine has no boot intent of its own.
 *
 * @param tftpServer   next-server (siaddr) for TFTP stages
 * @param biosFile     for architecture 0 (legacy BIOS PXE), e.g. undionly.kpxe
 * @param uefiFile     for x86 UEFI PXE (6, 7, 9), e.g. snponly.efi or ipxe.efi
 * @param arm64File    for arm64 UEFI PXE (11)
 * @param httpBootUrl  full http:// URL of the EFI binary for UEFI HTTP Boot clients (15, 16, 19, ...)
 * @param scriptUrl    the iPXE script URL at http-boot-service; iPXE expands ${net0/mac} and friends
 * @param onieUrl      option 114 for ONIE switches, or "" for none
 */
public record SiteBootDefaults(String tftpServer, String biosFile, String uefiFile, String arm64File,
                               String httpBootUrl, String scriptUrl, String onieUrl) {
}
