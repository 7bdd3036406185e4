package io.pxewings.events;

import java.time.Duration;

import io.pxewings.events.catalog.TopicSpec;

/** Every topic of the contract. Add one here and to {@link EventCatalog}, then regenerate the docs. */
public final class Topics {

    /** Service instances announcing start and orderly stop. */
    public static final TopicSpec SERVICE_LIFECYCLE = new TopicSpec("wings.service.lifecycle",
            "service name and instance, '<service>/<instance>'", 3, false, Duration.ofDays(7),
            "Facts about service instances starting and stopping, per site.");

    /** Desired state: fixed addresses per NIC, kept current by inventory-service. */
    public static final TopicSpec DHCP_RESERVATIONS = new TopicSpec("wings.dhcp.reservations",
            "boot NIC MAC, lower-case colon form", 12, true, null,
            "Fixed addresses per NIC (compacted desired state; a tombstone removes the reservation).");

    /** DHCP facts about boot NICs, keyed by MAC so each machine's facts stay in order. */
    public static final TopicSpec DHCP_FACTS = new TopicSpec("wings.dhcp.facts",
            "boot NIC MAC, lower-case colon form", 12, false, Duration.ofDays(7),
            "What dhcp-service saw and did: discovers, boot offers and lease changes, per site.");

    /** TFTP facts, keyed by the client's MAC when its lease is known, else by its address. */
    public static final TopicSpec TFTP_FACTS = new TopicSpec("wings.tftp.facts",
            "boot NIC MAC (lower-case colon form) when the lease facts or the neighbour table name the client's address, else its IPv4 address",
            12, false, Duration.ofDays(7),
            "What tftp-service served: transfers started, completed and failed, per site.");

    /** HTTP boot facts (scripts and files served), keyed by the MAC when known, else by the client's address. */
    public static final TopicSpec HTTP_BOOT_FACTS = new TopicSpec("wings.http-boot.facts",
            "boot NIC MAC (lower-case colon form) from the request or the lease facts, else the client's IP address",
            12, false, Duration.ofDays(7),
            "What http-boot-service served machines: iPXE scripts and boot files, per site.");

    /** Desired state: each machine's next agent task, keyed by MAC; a tombstone clears it. */
    public static final TopicSpec AGENT_TASKS = new TopicSpec("wings.agent.tasks",
            "boot NIC MAC, lower-case colon form", 12, true, null,
            "The next task for each machine's RAM-OS agent (compacted desired state; a tombstone clears it).");

    /** What RAM-OS agents reported, keyed by MAC. */
    public static final TopicSpec AGENT_FACTS = new TopicSpec("wings.agent.facts",
            "boot NIC MAC, lower-case colon form", 12, false, Duration.ofDays(7),
            "What RAM-OS agents reported through http-boot-service: inventories, task progress and results, logs.");

    /** Desired state: what each NIC boots next. Compacted: the latest record per MAC is the intent. */
    public static final TopicSpec BOOT_INTENTS = new TopicSpec("wings.boot.intents",
            "boot NIC MAC, lower-case colon form", 12, true, null,
            "What each NIC should boot next (compacted desired state; a tombstone removes the intent).");

    /** Machine facts from inventory-service, keyed by machine id so each machine's changes stay in order. */
    public static final TopicSpec MACHINE_FACTS = new TopicSpec("wings.machine.facts",
            "machine id (UUID)", 12, false, Duration.ofDays(30),
            "Machines registered, updated, deleted and their hardware changes, as inventory-service records them.");

    /** Commands for BMCs, keyed by machine id so each machine's commands stay in order. */
    public static final TopicSpec BMC_COMMANDS = new TopicSpec("wings.bmc.commands",
            "machine id (UUID)", 12, false, Duration.ofDays(7),
            "Power, boot-device and virtual-media commands for machines' BMCs, carried out by bmc-service.");

    /** What bmc-service did and saw, keyed by machine id. */
    public static final TopicSpec BMC_FACTS = new TopicSpec("wings.bmc.facts",
            "machine id (UUID)", 12, false, Duration.ofDays(30),
            "BMC commands completed or failed, power state changes, BMCs unreachable and reachable again.");

    /** The image catalog's facts, keyed by image name, so each image's changes stay in order; cache facts by blob. */
    public static final TopicSpec IMAGE_FACTS = new TopicSpec("wings.image.facts",
            "image name (catalog facts) or blob digest (cache facts)", 6, false, Duration.ofDays(30),
            "Images published, deprecated, yanked and deleted in image-service's catalog; blobs site caches fetched and evicted.");

    /** The orchestrator's facts: runs and their stages, and machines' lifecycle, keyed by machine id. */
    public static final TopicSpec RUN_FACTS = new TopicSpec("wings.run.facts",
            "machine id (UUID)", 12, false, Duration.ofDays(30),
            "Runs started, moving from stage to stage, succeeded, failed and cancelled, and machines' lifecycle changes, "
                    + "as the orchestrator decides them.");

    /**
     * The facts that move runs, forwarded verbatim by the orchestrator and keyed by machine id, so
     * that the orchestrator instance owning a partition owns the runs of its machines (internal).
     */
    public static final TopicSpec ORCHESTRATOR_INPUTS = new TopicSpec("wings.orchestrator.inputs",
            "machine id (UUID); the boot NIC MAC for a machine not yet in the orchestrator's view", 12, false, Duration.ofDays(7),
            "Internal to the orchestrator: the agent and BMC facts that move runs, forwarded unchanged (same id, type and "
                    + "payload) and keyed by machine id; each partition is applied by the one orchestrator instance that owns "
                    + "it. Integrations read the original topics, not this one.");

    /** Records a consumer could not process, with the reason in headers; never dropped silently. */
    public static final TopicSpec DEAD_LETTER = new TopicSpec("wings.dead-letter",
            "the original record's key", 3, false, Duration.ofDays(30),
            "Records that a consumer could not process (SmallRye dead-letter-queue headers carry the reason, "
                    + "topic, partition and offset of the original).");

    private Topics() {
    }
}
