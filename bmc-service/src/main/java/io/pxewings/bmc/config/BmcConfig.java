package io.pxewings.bmc.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** bmc-service settings under {@code wings.bmc.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.bmc")
public interface BmcConfig {

    /** Operations in flight at once across every BMC of this instance; more wait their turn. */
    @WithDefault("64")
    @Min(1)
    int maxConcurrent();

    /** Tries per command when the BMC does not answer (each try has the protocol's own resends). */
    @WithDefault("3")
    @Min(1) @Max(10)
    int commandAttempts();

    /** Wait before a command's next try, doubled each time. */
    @WithDefault("PT2S")
    Duration retryBackoff();

    /** How long a power command's effect may take to show in the power state read back. */
    @WithDefault("PT60S")
    Duration confirmTimeout();

    /** How often the power state is read while confirming. */
    @WithDefault("PT2S")
    Duration confirmInterval();

    /**
     * How long the API waits for Kafka to take a command (its acknowledgement): past it the caller
     * gets a 503 and the command, if it reaches Kafka later, is failed as expired, never run.
     */
    @WithDefault("PT10S")
    Duration acceptTimeout();

    /**
     * Networks BMC addresses may be in (CIDR): an endpoint elsewhere is refused, never contacted.
     * BMCs live on private management networks.
     */
    @WithDefault("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,127.0.0.0/8,fc00::/7,::1/128")
    List<String> allowedNetworks();

    Ipmi ipmi();

    Redfish redfish();

    Breaker breaker();

    Poll poll();

    Vault vault();

    interface Ipmi {
        /** Cipher suites to offer, in order (IPMI v2.0 Table 22-20); only 17 and 3 are spoken, never 0. */
        @WithDefault("17,3")
        List<Integer> cipherSuites();

        /** Privilege level asked for: administrator (4) or operator (3). */
        @WithDefault("4")
        @Min(3) @Max(4)
        int privilege();

        /** First wait for an answer; doubled on each resend. */
        @WithDefault("PT1S")
        Duration timeout();

        /** Sends per exchange before a BMC counts as not answering. */
        @WithDefault("4")
        @Min(1) @Max(10)
        int attempts();

        /** An idle session is touched this often (BMCs drop sessions idle 30-60 s). */
        @WithDefault("PT20S")
        Duration keepAlive();

        /** A session unused this long is closed: BMCs have few session slots. */
        @WithDefault("PT2M")
        Duration idleClose();

        /** The local address of the one UDP socket every session shares. */
        @WithDefault("0.0.0.0")
        String bindAddress();
    }

    interface Redfish {
        /** One request's time limit. */
        @WithDefault("PT30S")
        Duration timeout();

        /** Tries per request for transient answers (5xx, 409, 429, timeouts). */
        @WithDefault("4")
        @Min(1) @Max(10)
        int attempts();

        /** First wait between tries, doubled each time. */
        @WithDefault("PT1S")
        Duration backoff();

        /** How long a task monitor (202) is followed. */
        @WithDefault("PT10M")
        Duration taskTimeout();

        /** Check BMC certificates against the JDK's trust store (and ca-file). */
        @WithDefault("true")
        boolean verifyTls();

        /** Extra CA certificates (PEM) to trust for BMCs. */
        Optional<String> caFile();
    }

    interface Breaker {
        /** Consecutive unanswered operations that open a BMC's breaker. */
        @WithDefault("3")
        @Min(1)
        int failures();

        /** How long an open breaker refuses before it lets one probe through; doubles while the BMC stays away. */
        @WithDefault("PT30S")
        Duration openFor();

        /** The longest an open breaker waits between probes. */
        @WithDefault("PT10M")
        Duration maxOpenFor();
    }

    interface Poll {
        /** Whether power states are polled at all. */
        @WithDefault("true")
        boolean enabled();

        /** Each BMC's power state is read about this often (never more than once per interval). */
        @WithDefault("PT5M")
        Duration interval();

        /** Fraction of the interval each BMC's turn moves at random, so BMCs are not read in bursts. */
        @WithDefault("0.2")
        double jitter();
    }

    interface Vault {
        /**
         * Master keys, {@code id:base64-of-32-bytes} separated by commas; the first encrypts, all
         * decrypt (add the new one first, rotate, then drop the old one).
         */
        Optional<List<String>> masterKeys();

        /** A file with the same content, one key per line (what ./wings up makes under .wings/). */
        Optional<String> masterKeyFile();
    }
}
