package io.pxewings.tftp.config;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/** tftp-service settings under {@code wings.tftp.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.tftp")
public interface TftpConfig {

    /** Directory files are served from; nothing outside it is ever served. Created when missing. */
    @WithDefault(".wings/tftp")
    String root();

    /** Address the TFTP socket binds (and every transfer's own socket). */
    @WithDefault("127.0.0.1")
    @Pattern(regexp = "(\\d{1,3}\\.){3}\\d{1,3}", message = "must be an IPv4 address")
    String bindAddress();

    /** UDP port: 69 in production, 6969 in local mode; 0 picks a free one (tests). */
    @WithDefault("6969")
    @Min(0) @Max(65535)
    int port();

    /**
     * Largest blksize granted (RFC 2348 allows 8..65464). 1468 fills an Ethernet frame of 1500
     * without IP fragmentation; raise it only on a jumbo-frame network.
     */
    @WithDefault("1468")
    @Min(8) @Max(65464)
    int maxBlksize();

    /** Largest windowsize granted (RFC 7440 allows 1..65535). */
    @WithDefault("64")
    @Min(1) @Max(65535)
    int maxWindowsize();

    /** Wait for an ACK before the first retransmission when the client asks for no timeout (RFC 2349). */
    @WithDefault("PT1S")
    Duration timeout();

    /** Retransmissions in a row before a transfer is given up. */
    @WithDefault("5")
    @Min(0) @Max(50)
    int maxRetries();

    /**
     * Event loops the transfers are spread over (requests are read on one). Unset: one per CPU.
     * A transfer stays on the loop it starts on, so it needs no locks.
     */
    java.util.OptionalInt transferLoops();

    /**
     * How long a transfer loop polls for the next datagram before it sleeps (epoll only; PT0S:
     * never). A lock-step client's ACK then usually finds the loop awake instead of waking it.
     * Costs CPU only while transfers are in flight: at most this long per block sent.
     */
    @WithDefault("PT0.00005S")
    Duration spin();

    /** Transfers at once; a request beyond it gets error 0 "server busy" (and is counted). */
    @WithDefault("2000")
    @Min(1)
    int maxTransfers();

    /** Requests per second one client address may start (token bucket); more are dropped and counted. */
    @WithDefault("20")
    @Min(1)
    int requestsPerSecondPerClient();

    /** Bytes of files held in memory (least recently used out first). */
    @WithDefault("67108864")
    @Min(0)
    long cacheBytes();

    /** Largest file held in memory; larger files are read from disk per window. */
    @WithDefault("16777216")
    @Min(0)
    long cacheMaxFile();

    /** Where the iPXE bootloaders come from (Debian's ipxe package). */
    @WithDefault("/usr/lib/ipxe")
    String ipxeDir();

    /** Bootloaders copied from ipxe-dir into the root at start when the root has none of that name. */
    @WithDefault("undionly.kpxe,ipxe.efi,snponly.efi")
    List<String> bootloaders();
}
