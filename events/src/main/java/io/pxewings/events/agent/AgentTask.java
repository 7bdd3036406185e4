package io.pxewings.events.agent;

import java.time.Instant;
import java.util.Map;

/**
 * The next task for a machine's agent: desired state on the compacted topic
 * {@code wings.agent.tasks}, keyed by MAC (a tombstone clears it). The orchestrator sets it;
 * http-boot-service hands it to the agent's long poll from its local view.
 *
 * @param id        unique per task; results name it
 * @param mac       the boot NIC (also the key)
 * @param kind      {@code inventory}, {@code wait}, {@code poweroff}, {@code reboot}, {@code write-image},
 *                  {@code configure}, {@code kexec} or {@code wipe}
 * @param params    the kind's parameters, e.g. {@code seconds} for {@code wait}; docs/events.md lists
 *                  each kind's
 * @param createdAt when it was set
 */
public record AgentTask(String id, String mac, String kind, Map<String, String> params, Instant createdAt) {

    /** The kinds this version of the agent carries out. */
    public static final java.util.List<String> KINDS = java.util.List.of("inventory", "wait", "poweroff", "reboot",
            "write-image", "configure", "kexec", "wipe");
}
