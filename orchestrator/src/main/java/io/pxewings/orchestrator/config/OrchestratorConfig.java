package io.pxewings.orchestrator.config;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** orchestrator settings under {@code wings.orchestrator.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.orchestrator")
public interface OrchestratorConfig {

    /** A service instance silent for longer than this is shown as stale. */
    @WithDefault("PT2M")
    Duration serviceStaleAfter();

    /** Per site, the base URL its machines download images from; else what the site's image-service announced. */
    Map<String, String> imageUrls();

    /** Runs per site at once; more wait in a queue, in order, never refused. */
    @WithDefault("50")
    int maxRunsPerSite();

    /** What stages use of a site, capped per site; a run at a full cap waits in its stage, in order. */
    Caps caps();

    interface Caps {
        /** Power-ons a site starts per minute (a token bucket refilled at this rate). */
        @WithDefault("60")
        int powerOnsPerMinute();

        /** Power-ons a site may start at once after a quiet spell (the bucket's size). */
        @WithDefault("10")
        int powerOnBurst();

        /** Image downloads at once from a site's cache. */
        @WithDefault("20")
        int imageStreams();

        /** BMC commands at once in a site (power-ons, power-offs). */
        @WithDefault("10")
        int bmcOperations();

        /** Per site, values other than the defaults above: {@code caps.sites."SITE".image-streams=4}. */
        Map<String, SiteCaps> sites();
    }

    interface SiteCaps {
        java.util.OptionalInt powerOnsPerMinute();

        java.util.OptionalInt powerOnBurst();

        java.util.OptionalInt imageStreams();

        java.util.OptionalInt bmcOperations();
    }

    /** Tries of a stage for transient failures and timeouts. */
    @WithDefault("3")
    int maxStageTries();

    /** Tries of a whole run (its agent never came up: powered again). */
    @WithDefault("3")
    int maxRunAttempts();

    /** The first retry's backoff; doubled each try, capped by {@link #retryBackoffCap()}, jittered. */
    @WithDefault("PT5S")
    Duration retryBackoff();

    @WithDefault("PT2M")
    Duration retryBackoffCap();

    /**
     * How the provision built-in hands off to the installed system when a request does not say:
     * {@code auto} (kexec on BIOS machines, a reboot to disk on UEFI ones), {@code kexec} or {@code reboot}.
     */
    @WithDefault("auto")
    String handOff();

    /**
     * Whether a machine inventory-service registers as {@code discovered} (its first DHCP discover)
     * gets an {@code inventory} run at once: it is powered into the RAM OS if it has a BMC, and a
     * machine whose agent never reports is failed by the run's deadline, not left unnoticed.
     */
    @WithDefault("true")
    boolean inventoryOnDiscovery();

    /** How often the timer scans for deadlines and queued runs. */
    @WithDefault("PT1S")
    Duration timerPeriod();

    /** Live event streams (Server-Sent Events) and the event log behind them. */
    EventStreams eventStreams();

    interface EventStreams {
        /** How often each open stream reads the log for new facts. */
        @WithDefault("PT0.25S")
        Duration period();

        /** A comment on an idle stream this often, so a client that went away is noticed. */
        @WithDefault("PT15S")
        Duration keepAlive();

        /** Streams open at once per instance; one more is a 503. */
        @WithDefault("200")
        int max();

        /** Facts older than this leave the log (a stream resumed from one of them starts at the oldest fact held). */
        @WithDefault("P7D")
        Duration retention();
    }

    /** Stage deadlines. */
    Timeouts timeouts();

    interface Timeouts {
        /** The BMC's boot device and power cycle confirmed. */
        @WithDefault("PT3M")
        Duration powerOn();

        /** From the power cycle to the RAM-OS agent's report (firmware, PXE, the RAM OS's boot). */
        @WithDefault("PT10M")
        Duration awaitAgent();

        /** The image downloaded, written and verified. */
        @WithDefault("PT30M")
        Duration writeImage();

        @WithDefault("PT3M")
        Duration configure();

        /** The kexec armed (the agent reports before it jumps). */
        @WithDefault("PT3M")
        Duration handOff();

        /** From the hand-off to the installed system's phone_home; then one power cycle to disk, and as long again. */
        @WithDefault("PT10M")
        Duration awaitFirstBoot();

        /** deprovision: every disk's metadata wiped ({@code power-off} has {@link #powerOn()}'s). */
        @WithDefault("PT10M")
        Duration wipe();
    }
}
