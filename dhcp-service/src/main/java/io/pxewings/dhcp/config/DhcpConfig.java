package io.pxewings.dhcp.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * dhcp-service settings under {@code wings.dhcp.*}; an invalid value stops the service at start,
 * naming the key. See the README for examples.
 */
@ConfigMapping(prefix = "wings.dhcp")
public interface DhcpConfig {

    String IPV4 = "(\\d{1,3}\\.){3}\\d{1,3}";

    /** {@code server} hands out addresses; {@code proxy} only adds boot options beside another DHCP server. */
    @WithDefault("server")
    Mode mode();

    /**
     * Address the DHCP socket binds. Loopback in local mode; inside a lab or a site's own network
     * namespace, 0.0.0.0 so that broadcasts are received.
     */
    @WithDefault("127.0.0.1")
    @Pattern(regexp = IPV4, message = "must be an IPv4 address")
    String bindAddress();

    /** UDP port: 67 in production, 6767 in local mode so no root and no host interface is needed; 0 picks a free one (tests). */
    @WithDefault("6767")
    @Min(0) @Max(65535)
    int port();

    /** proxyDHCP only: the PXE boot-server port clients send their second request to (4011; 0 = any free port, for tests). */
    @WithDefault("4011")
    @Min(0) @Max(65535)
    int proxyPort();

    /** Port replies to clients go to (68; another one only for local tests). */
    @WithDefault("68")
    @Min(1) @Max(65535)
    int clientPort();

    /** Option 54 and this server's address on its directly attached network; defaults to the bind address. */
    Optional<@Pattern(regexp = IPV4, message = "must be an IPv4 address") String> serverAddress();

    /** Where broadcast replies go: 255.255.255.255 on a network segment; the loopback address in local mode. */
    Optional<@Pattern(regexp = IPV4, message = "must be an IPv4 address") String> broadcastAddress();

    /**
     * SO_RCVBUF of the DHCP socket(s), in bytes. A boot storm arrives faster than any server
     * answers; what the kernel cannot queue it drops (counted in
     * {@code wings_dhcp_socket_drops_total}). Linux caps it at {@code net.core.rmem_max}. Bigger is
     * not better: 1 MiB absorbs a 5000-client storm's first burst, while 4 MiB let a queue of
     * stale requests build up under sustained load and cut the answered rate (docs/benchmarks.md).
     */
    @WithDefault("1048576")
    @Min(65536)
    int receiveBuffer();

    /** Directory of the lease journal. */
    @WithDefault(".wings/data/dhcp")
    String dataDir();

    /** How long an offered address is held for the client that was offered it. */
    @WithDefault("PT60S")
    Duration offerHold();

    /** How long an address a client declined (found in use) is kept out of use. */
    @WithDefault("PT1H")
    Duration declineQuarantine();

    /** Subnets by name: {@code wings.dhcp.subnets.<name>.network=10.77.0.0/24} and so on. */
    Map<String, SubnetConfig> subnets();

    /** Static reservations, MAC to address: {@code wings.dhcp.reservations."52:54:00:00:00:01"=10.77.0.10}. */
    Map<String, String> reservations();

    /** Unknown MACs (no boot intent, no reservation): {@code discover} serves them, {@code ignore} stays silent. */
    @WithDefault("discover")
    io.pxewings.dhcp.server.DhcpEngine.Discovery discovery();

    /** Site boot defaults for machines without a boot intent of their own. */
    BootConfig boot();

    /** {@code server}: addresses and boot options; {@code proxy}: boot options for PXE clients only. */
    enum Mode { server, proxy }

    /** One subnet. */
    interface SubnetConfig {
        /** CIDR, e.g. 10.77.0.0/24. */
        @Pattern(regexp = IPV4 + "/\\d{1,2}", message = "must be a CIDR network such as 10.77.0.0/24")
        String network();

        /** Address ranges, e.g. 10.77.0.100-10.77.0.199. */
        List<@Pattern(regexp = IPV4 + "-" + IPV4, message = "must be a range such as 10.77.0.100-10.77.0.199") String> pools();

        /** Option 3. */
        Optional<@Pattern(regexp = IPV4, message = "must be an IPv4 address") String> router();

        /** Option 6. */
        Optional<List<@Pattern(regexp = IPV4, message = "must be an IPv4 address") String>> dns();

        /** Option 51: the lease a client gets when it asks for none, and the longest it can get. */
        @WithDefault("PT1H")
        Duration leaseTime();

        /**
         * The shortest lease a client may ask for (option 51 in its request). Unset: requests are
         * not honoured, every client gets lease-time.
         */
        Optional<Duration> minLeaseTime();
    }

    /** Boot files and URLs (see BootDecider for which client gets which). */
    interface BootConfig {
        /** A path under http-boot-service's /files/ that needs no escaping in a URL. */
        String SAFE_PATH = "[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*";

        /** next-server for TFTP stages; defaults to the server address. */
        Optional<@Pattern(regexp = IPV4, message = "must be an IPv4 address") String> tftpServer();

        @WithDefault("undionly.kpxe")
        String biosFile();

        @WithDefault("snponly.efi")
        String uefiFile();

        @WithDefault("arm64/ipxe.efi")
        String arm64File();

        /**
         * UEFI HTTP Boot, x86 (client architectures 15, 16): the EFI binary under
         * http-boot-service's /files/, which puts Debian's ipxe.efi there by default.
         */
        @WithDefault("ipxe.efi")
        @Pattern(regexp = SAFE_PATH, message = "must be a relative path of letters, digits, '.', '_', '-' and '/'")
        String uefiHttpFile();

        /**
         * UEFI HTTP Boot, arm64 (client architecture 19). Debian 12 has no arm64 iPXE build: put one
         * (or another arm64 EFI loader) in http-boot-service's files root under this name.
         */
        @WithDefault("arm64/ipxe.efi")
        @Pattern(regexp = SAFE_PATH, message = "must be a relative path of letters, digits, '.', '_', '-' and '/'")
        String arm64HttpFile();

        /** http-boot-service as machines reach it. */
        @WithDefault("http://127.0.0.1:8080")
        @Pattern(regexp = "https?://[^\\s/]+", message = "must be an http:// URL without a path, e.g. http://10.77.0.1:8080")
        String httpBase();

        /** Option 114 for ONIE switches; none by default. */
        @WithName("onie-url")
        Optional<String> onieUrl();

        /**
         * iPXE already running in firmware (a NIC's ROM, a VM's): {@code script} hands it the HTTP
         * script at once; {@code chainload} hands it the first stage over TFTP once per boot, as to
         * PXE firmware, so every machine runs the site's iPXE.
         */
        @WithDefault("script")
        io.pxewings.dhcp.boot.IpxeFirmware ipxeFirmware();

        /**
         * With {@code ipxe-firmware=chainload}: how long after a machine was handed its first stage
         * a new DHCP exchange from iPXE is taken for that stage, running (it gets the script).
         * Longer than the stage takes to load and ask; shorter than a reboot.
         */
        @WithDefault("PT60S")
        Duration firstStageWindow();
    }
}
