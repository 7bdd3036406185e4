package io.pxewings.orchestrator.workflow;

import java.util.Locale;

/**
 * What kind of failure a task or a BMC command reported, which decides what a run does about it:
 * transient ones are tried again with backoff, a digest mismatch once more, hardware errors put the
 * machine in maintenance, the rest fail the run. The agent's messages are its own
 * (deploy/ram-os/rootfs/usr/lib/wings/deploy.sh); bmc-service's reasons are {@code CommandResult}'s.
 */
public enum FailureClass {
    TRANSIENT, DIGEST, HARDWARE, PERMANENT;

    /** An agent task's failure message. */
    public static FailureClass ofAgent(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("digest mismatch") || m.contains("does not hold the image")) {
            return DIGEST;
        }
        if (m.startsWith("no disk matches") || m.contains("cannot write to /dev") || m.startsWith("short write")
                || m.contains("i/o error") || m.contains("input/output error")) {
            return HARDWARE;
        }
        if (m.contains("the wget stage failed") || m.contains("connection") || m.contains("timed out") || m.contains("refused")) {
            return TRANSIENT;
        }
        return PERMANENT;
    }

    /** A BMC command's reason ({@code CommandResult.reason}). */
    public static FailureClass ofBmc(String reason) {
        return switch (reason == null ? "" : reason) {
            case "unreachable", "not-confirmed", "interrupted", "breaker-open" -> TRANSIENT;
            default -> PERMANENT;   // auth-failed, refused, unsupported, no-endpoint, no-credentials, invalid
        };
    }
}
