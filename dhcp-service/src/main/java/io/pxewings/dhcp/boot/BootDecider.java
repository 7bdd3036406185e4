package io.pxewings.dhcp.boot;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.pxewings.dhcp.codec.ClientArchitecture;
import io.pxewings.dhcp.codec.VendorClass;
import io.pxewings.events.boot.BootIntent;

/**
 * Chooses the boot file for a network-boot client from its firmware facts and the site defaults.
 * No I/O, no calls to other services. The order of the rules is what breaks the classic chainload
 * loop: a client that is already iPXE gets the HTTP script, never iPXE again. With
 * {@link IpxeFirmware#CHAINLOAD}, iPXE in firmware gets the first stage once per boot instead, and
 * {@link FirstStageHandouts} remembers the handout so that the stage, once running, gets the script.
 */
public final class BootDecider {

    /** A DHCP exchange being answered (RFC 2131 transaction id): its first-stage handouts are remembered. */
    public record Exchange(int xid, Instant now) {
    }

    private final SiteBootDefaults site;
    private final FirstStageHandouts handouts;

    public BootDecider(SiteBootDefaults site) {
        this.site = site;
        this.handouts = new FirstStageHandouts(site.firstStageWindow());
    }

    /** Explains what a client would be offered now; remembers nothing. */
    public BootDecision decide(ClientFacts c, Optional<BootIntent> intent) {
        return decide(c, intent, Optional.empty());
    }

    /** Decides the answer to an exchange, and remembers a first stage handed out in it. */
    public BootDecision decide(ClientFacts c, Optional<BootIntent> intent, Exchange exchange) {
        return decide(c, intent, Optional.of(exchange));
    }

    private BootDecision decide(ClientFacts c, Optional<BootIntent> intent, Optional<Exchange> exchange) {
        if (intent.isPresent()) {
            BootIntent i = intent.get();
            String why = "boot intent '" + i.intent() + "'" + (i.reason() == null || i.reason().isBlank() ? "" : " (" + i.reason() + ")");
            if (i.intent().equals("local")) {
                return BootDecision.none(why + ": no boot file, the machine boots from its local disk");
            }
            if (i.intent().equals("none")) {
                return BootDecision.none(why + ": no network boot");
            }
            return fromFirmware(c, exchange).because(why + "; ");
        }
        return fromFirmware(c, exchange).because("no boot intent: site defaults; ");
    }

    /** Decides from firmware facts and site defaults alone (and, with CHAINLOAD, the handouts). */
    private BootDecision fromFirmware(ClientFacts c, Optional<Exchange> exchange) {
        if (c.isIpxe()) {
            if (site.ipxeFirmware() == IpxeFirmware.CHAINLOAD && c.vendorClass().kind() == VendorClass.Kind.PXE) {
                Optional<Duration> running = exchange.isPresent()
                        ? handouts.runningStage(c.mac(), exchange.get().xid(), exchange.get().now())
                        : handouts.recent(c.mac(), Instant.now());
                if (running.isPresent()) {
                    return script("the first stage handed out " + running.get().toMillis() / 1000
                            + " s ago is running: its HTTP script, which breaks the chainload loop");
                }
                BootDecision first = pxe(c, exchange);
                if (first.bootFile().isPresent()) {
                    return first.because(
                            "iPXE in firmware, and the site chainloads it (wings.dhcp.boot.ipxe-firmware=chainload): ");
                }
            }
            return script("iPXE is running (user class or option 175): its HTTP script, which breaks the chainload loop");
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
            return httpBoot(c, exchange);
        }
        if (c.vendorClass().kind() != VendorClass.Kind.PXE) {
            return BootDecision.none("not a network-boot client (vendor class '" + c.vendorClass().raw() + "')");
        }
        return pxe(c, exchange);
    }

    /**
     * UEFI HTTP Boot firmware (UEFI 2.x §24.7): a full URL for its architecture, vendor class
     * HTTPClient echoed. The binary it loads is iPXE, whose own DHCP exchange follows: when the
     * site chainloads iPXE in firmware, that iPXE must be taken for this stage, running, or it
     * would be handed the TFTP first stage a firmware that boots by HTTP never asked for.
     */
    private BootDecision httpBoot(ClientFacts c, Optional<Exchange> exchange) {
        ClientArchitecture arch = c.arch();
        String url = switch (arch) {
            case ARM64_UEFI_HTTP, ARM64_UEFI -> site.arm64HttpBootUrl();
            case X86_UEFI_HTTP, X64_UEFI_HTTP, X86_UEFI, X64_UEFI, X64_UEFI_ALT -> site.httpBootUrl();
            default -> null;
        };
        if (url == null) {
            return BootDecision.none("UEFI HTTP Boot client of architecture " + arch.code() + " with no boot file configured");
        }
        if (site.ipxeFirmware() == IpxeFirmware.CHAINLOAD) {
            exchange.ifPresent(e -> handouts.handedOut(c.mac(), e.xid(), e.now()));
        }
        // ?mac= names the machine to http-boot-service's file facts even when its address does not:
        // behind a NAT, a load balancer or the lab's tunnel, the lease view cannot.
        return new BootDecision(Optional.of(url + "?mac=" + c.mac()), Optional.empty(), Optional.of("HTTPClient"), Optional.empty(),
                false, "UEFI HTTP Boot (arch " + arch.code() + "): a full URL, vendor class HTTPClient echoed");
    }

    private BootDecision script(String reason) {
        return new BootDecision(Optional.of(site.scriptUrl()), Optional.empty(), Optional.empty(), Optional.empty(), true, reason);
    }

    /** PXE firmware (or iPXE treated as such): the first stage by TFTP, remembered when chainloading. */
    private BootDecision pxe(ClientFacts c, Optional<Exchange> exchange) {
        ClientArchitecture arch = c.arch();
        String file = switch (arch) {
            case X86_BIOS -> site.biosFile();
            case X86_UEFI, X64_UEFI, X64_UEFI_ALT -> site.uefiFile();
            case ARM64_UEFI -> site.arm64File();
            default -> null;
        };
        if (file == null) {
            return BootDecision.none("PXE client of architecture " + arch.code() + " with no boot file configured");
        }
        if (site.ipxeFirmware() == IpxeFirmware.CHAINLOAD) {
            exchange.ifPresent(e -> handouts.handedOut(c.mac(), e.xid(), e.now()));
        }
        return new BootDecision(Optional.of(file), Optional.of(site.tftpServer()), Optional.of("PXEClient"),
                Optional.empty(), false, "PXE firmware, " + arch.name() + ": " + file + " by TFTP from " + site.tftpServer());
    }
}
