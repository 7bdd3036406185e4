package io.pxewings.httpboot.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** http-boot-service settings under {@code wings.http-boot.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.http-boot")
public interface HttpBootConfig {

    /** Directory of kernels, initrds, ISOs and EFI binaries served under /files/. */
    @WithDefault(".wings/files")
    String filesRoot();

    /** Where the iPXE bootloaders come from (Debian's ipxe package). */
    @WithDefault("/usr/lib/ipxe")
    String ipxeDir();

    /**
     * Bootloaders copied from ipxe-dir into the files root at start when the root has none of
     * that name: what UEFI HTTP Boot firmware fetches (dhcp-service's {@code uefi-http-file},
     * {@code arm64-http-file}).
     */
    @WithDefault("ipxe.efi,snponly.efi")
    java.util.List<String> bootloaders();

    /** Base URL machines use to reach this service (goes into iPXE scripts and DHCP answers). */
    @WithDefault("http://127.0.0.1:8080")
    @Pattern(regexp = "https?://[^\\s/]+(/[^\\s]*)?", message = "must be an http:// or https:// URL")
    String publicUrl();

    /**
     * Directory of operator-edited installer templates: a file named like a built-in one
     * (kickstart, preseed, autoinstall, esxi, meta-data, user-data, vendor-data, network-config)
     * replaces it, and is read again when it changes.
     */
    @WithDefault(".wings/templates")
    String templatesDir();

    /** What a MAC with no boot intent in the local view boots: the site default. */
    @WithDefault("discover")
    @Pattern(regexp = "discover|ramos|local|install|shell|none", message = "must be discover, ramos, local, install, shell or none")
    String defaultIntent();

    /**
     * How many times a script tries each download before it gives up (and asks for its script
     * again a minute later). Waits double from 1 s between tries.
     */
    @WithDefault("5")
    @Min(1) @Max(10)
    int downloadAttempts();

    /** The RAM-only OS that {@code discover} and {@code ramos} boot. */
    RamOs ramos();

    /** The per-machine agent token put on the RAM-only OS's kernel command line. */
    Agent agent();

    /** Install profiles by name, for the {@code install} intent (the intent's {@code profile}). */
    Map<String, Profile> profiles();

    interface RamOs {
        /** Kernel, relative to the files root. */
        @WithDefault("ramos/vmlinuz")
        String kernel();

        /** Initramfs, relative to the files root. */
        @WithDefault("ramos/initrd.img")
        String initrd();

        /** Extra kernel arguments. */
        @WithDefault("console=tty0 console=ttyS0,115200n8")
        String args();
    }

    interface Agent {
        /**
         * Site secret the agent tokens are signed with (HMAC-SHA256), at least 32 characters. Every
         * instance of a site needs the same one. No default outside dev and test: a guessable
         * secret would let anyone act as any machine.
         */
        @Size(min = 32, message = "must be at least 32 characters")
        String secret();

        /**
         * How long a token stays valid after it was minted. Short: the agent trades it for a fresh
         * one of the same boot ({@code POST /api/agent/v1/token}) while it is valid.
         */
        @WithDefault("PT1H")
        Duration tokenTtl();

        /**
         * Whose requests get a token and may use one: {@code lease}, only the address the MAC's
         * DHCP lease holds (http-boot-service's view of the lease facts); {@code any}, for sites
         * where that address is not what this service sees (NAT, a proxy, proxyDHCP beside
         * another DHCP server).
         */
        @WithDefault("lease")
        @jakarta.validation.constraints.Pattern(regexp = "lease|any", message = "must be lease or any")
        String trustSource();

        /**
         * How long the first-boot token in a machine's NoCloud seed stays valid: from the agent's
         * {@code configure} task to the installed system's {@code phone_home}. Long enough for a
         * reboot through a slow server's POST; the token is spent by its first use anyway.
         */
        @WithDefault("PT2H")
        Duration firstBootTokenTtl();
    }

    interface Profile {
        /** Installer kernel, relative to the files root. */
        String kernel();

        /** Installer initrd, relative to the files root. */
        String initrd();

        /**
         * Kernel arguments. {@code {template-url}} becomes the URL of this machine's rendered
         * installer template, {@code {cloud-init-url}} its NoCloud seed URL, {@code {mac}} its MAC.
         */
        @WithDefault("")
        String args();

        /** The installer template this profile uses (kickstart, preseed, autoinstall, esxi), if any. */
        Optional<String> template();
    }
}
