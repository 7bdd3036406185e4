package io.pxewings.events.boot;

import java.time.Instant;

/**
 * What a NIC should boot next: the desired state the orchestrator (or an operator) sets and the
 * edge services (DHCP, HTTP boot) serve from their local view of the compacted topic. A record
 * with no value (a tombstone) for a MAC removes its intent.
 *
 * @param mac       boot NIC, lower-case colon form (also the key)
 * @param intent    discover, ramos, local, install, shell or none
 * @param machineId the inventory machine id, or null for a NIC not in inventory yet
 * @param reason    why it was set, for people reading the explain endpoint
 * @param updatedAt when it was set
 * @param profile   for {@code install}: the install profile that http-boot-service knows by this name
 *                  (installer kernel, initrd, arguments and template); null for the other intents
 * @param params    for {@code install}: the values installer templates use, resolved from inventory
 *                  by whoever set the intent ({@code hostname}, {@code address}, {@code gateway},
 *                  {@code dns}, {@code ssh-keys}, {@code root-disk}, {@code root-password-hash},
 *                  {@code label.<name>}, ...); null or empty for the other intents
 */
public record BootIntent(String mac, String intent, String machineId, String reason, Instant updatedAt, String profile,
                         java.util.Map<String, String> params) {

    /** An intent without an install profile (every intent but {@code install}). */
    public BootIntent(String mac, String intent, String machineId, String reason, Instant updatedAt) {
        this(mac, intent, machineId, reason, updatedAt, null, null);
    }

    /** An install intent without template parameters. */
    public BootIntent(String mac, String intent, String machineId, String reason, Instant updatedAt, String profile) {
        this(mac, intent, machineId, reason, updatedAt, profile, null);
    }

    /** The intents edge services understand. */
    public static final java.util.List<String> INTENTS = java.util.List.of("discover", "ramos", "local", "install", "shell", "none");
}
