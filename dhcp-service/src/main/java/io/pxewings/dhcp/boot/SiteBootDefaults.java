package io.pxewings.dhcp.boot;

import java.time.Duration;

/**
 * The site's boot files and URLs, used when a machine has no boot intent of its own.
 *
 * @param tftpServer   next-server (siaddr) for TFTP stages
 * @param biosFile     for architecture 0 (legacy BIOS PXE), e.g. undionly.kpxe
 * @param uefiFile     for x86 UEFI PXE (6, 7, 9), e.g. snponly.efi or ipxe.efi
 * @param arm64File    for arm64 UEFI PXE (11)
 * @param httpBootUrl  full http:// URL of the EFI binary for x86 UEFI HTTP Boot clients (15, 16)
 * @param arm64HttpBootUrl full http:// URL of the EFI binary for arm64 UEFI HTTP Boot clients (19)
 * @param scriptUrl    the iPXE script URL at http-boot-service; iPXE expands ${net0/mac} and friends
 * @param onieUrl      option 114 for ONIE switches, or "" for none
 * @param ipxeFirmware what iPXE already running in firmware gets: the script, or the first stage once per boot
 * @param firstStageWindow how long after a first stage was handed out a new iPXE exchange is taken for that stage
 */
public record SiteBootDefaults(String tftpServer, String biosFile, String uefiFile, String arm64File,
                               String httpBootUrl, String arm64HttpBootUrl, String scriptUrl, String onieUrl, IpxeFirmware ipxeFirmware,
                               Duration firstStageWindow) {

    /** iPXE in firmware gets the script at once. */
    public SiteBootDefaults(String tftpServer, String biosFile, String uefiFile, String arm64File, String httpBootUrl,
                            String arm64HttpBootUrl, String scriptUrl, String onieUrl) {
        this(tftpServer, biosFile, uefiFile, arm64File, httpBootUrl, arm64HttpBootUrl, scriptUrl, onieUrl, IpxeFirmware.SCRIPT,
                Duration.ofSeconds(60));
    }
}
