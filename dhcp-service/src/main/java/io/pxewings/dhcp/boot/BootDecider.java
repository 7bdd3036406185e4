package io.pxewings.dhcp.boot;

import java.util.Optional;

import io.pxewings.dhcp.codec.ClientArchitecture;
import io.pxewings.dhcp.codec.VendorClass;
import io.pxewings.events.boot.BootIntent;

/**
 * Chooses the boot file for a network-boot client from its firmware facts and the site defaults.
 * Pure: no I/O, no calls to other services. The order of the rules is what breaks the classic
 * chainload loop: a client that is already iPXE gets the HTTP script, never iPXE again.
 */
public final class BootDecider {

    private final SiteBootDefaults site;

    public BootDecider(SiteBootDefaults site) {
        this.site = site;
    }

    /** Decides for a client with the machine's boot intent, if it has one. */
    public BootDecision decide(ClientFacts c, Optional<BootIntent> intent) {
        if (intent.isPresent()) {
            BootIntent i = intent.get();
            String why = "boot intent '" + i.intent() + "'" + (i.reason() == null || i.reason().isBlank() ? "" : " (" + i.reason() + ")");
            if (i.intent().equals("local")) {
                return BootDecision.none(why + ": no boot file, the machine boots from its local disk");
            }
            if (i.intent().equals("none")) {
                return BootDecision.none(why + ": no network boot");
            }
            BootDecision d = decide(c);
            return new BootDecision(d.bootFile(), d.nextServer(), d.vendorClass(), d.defaultUrl(), d.noProxyDhcp(),
                    why + "; " + d.reason());
        }
        BootDecision d = decide(c);
        return new BootDecision(d.bootFile(), d.nextServer(), d.vendorClass(), d.defaultUrl(), d.noProxyDhcp(),
                "no boot intent: site defaults; " + d.reason());
    }

    /** Decides from firmware facts and site defaults alone. */
    public BootDecision decide(ClientFacts c) {
        if (c.isIpxe()) {
            return new BootDecision(Optional.of(site.scriptUrl()), Optional.empty(), Optional.empty(), Optional.empty(),
                    true, "iPXE is running (user class or option 175): its HTTP script, which breaks the chainload loop");
        }
        if (c.vendorClass().kind() == VendorClass.Kind.ONIE) {
            if (site.onieUrl().isEmpty()) {
                return BootDecision.none("ONIE switch, but the site has no ONIE installer URL (wings.dhcp.boot.onie-url)");
            }
            return new BootDecision(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(site.onieUrl()),
                    false, "ONIE switch (" + c.vendorClass().platform() + "): installer URL in option 114");
        }
        ClientArchitecture arch = c.arch();
        if (arch.httpBoot() || c.vendorClass().kind() == VendorClass.Kind.HTTP_BOOT) {
            return new BootDecision(Optional.of(site.httpBootUrl()), Optional.empty(), Optional.of("HTTPClient"),
                    Optional.empty(), false, "UEFI HTTP Boot (arch " + arch.code() + "): a full URL, vendor class HTTPClient echoed");
        }
        if (c.vendorClass().kind() != VendorClass.Kind.PXE) {
            return BootDecision.none("not a network-boot client (vendor class '" + c.vendorClass().raw() + "')");
        }
        String file = switch (arch) {
            case X86_BIOS -> site.biosFile();
            case X86_UEFI, X64_UEFI, X64_UEFI_ALT -> site.uefiFile();
            case ARM64_UEFI -> site.arm64File();
            default -> null;
        };
        if (file == null) {
            return BootDecision.none("PXE client of architecture " + arch.code() + " with no boot file configured");
        }
        return new BootDecision(Optional.of(file), Optional.of(site.tftpServer()), Optional.of("PXEClient"),
                Optional.empty(), false, "PXE firmware, " + arch.name() + ": " + file + " by TFTP from " + site.tftpServer());
    }
}
