package io.pxewings.events;

import io.pxewings.events.agent.AgentLog;
import io.pxewings.events.agent.AgentTask;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.agent.FirstBoot;
import io.pxewings.events.agent.TaskProgress;
import io.pxewings.events.agent.TaskResult;
import io.pxewings.events.bmc.BmcCommand;
import io.pxewings.events.bmc.CommandResult;
import io.pxewings.events.bmc.PowerChanged;
import io.pxewings.events.bmc.Reachability;
import io.pxewings.events.boot.BootIntent;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.dhcp.BootOffered;
import io.pxewings.events.dhcp.DiscoverSeen;
import io.pxewings.events.dhcp.LeaseChanged;
import io.pxewings.events.run.LifecycleChanged;
import io.pxewings.events.run.RunSnapshot;
import io.pxewings.events.tftp.TransferCompleted;
import io.pxewings.events.tftp.TransferFailed;
import io.pxewings.events.tftp.TransferStarted;
import io.pxewings.events.dhcp.Reservation;
import io.pxewings.events.httpboot.FileServed;
import io.pxewings.events.image.CacheBlob;
import io.pxewings.events.image.ImageChanged;
import io.pxewings.events.httpboot.ScriptServed;
import io.pxewings.events.machine.HardwareChanged;
import io.pxewings.events.machine.MachineDeleted;
import io.pxewings.events.machine.MachineRegistered;
import io.pxewings.events.machine.MachineUpdated;
import io.pxewings.events.service.ServiceStarted;
import io.pxewings.events.service.ServiceStopped;

/** Every CloudEvent type of the contract, with its topic and payload. */
public final class EventTypes {

    public static final EventType<ServiceStarted> SERVICE_STARTED = new EventType<>(
            "io.pxewings.service.started.v1", Topics.SERVICE_LIFECYCLE, ServiceStarted.class,
            "'<service>/<instance>'", "A service instance started and is about to report ready.");

    /** The same fields as {@code service.started}: a registry that missed the start learns the instance from any of them. */
    public static final EventType<ServiceStarted> SERVICE_ALIVE = new EventType<>(
            "io.pxewings.service.alive.v1", Topics.SERVICE_LIFECYCLE, ServiceStarted.class,
            "'<service>/<instance>'", "A service instance is still running (every wings.service.alive-interval).");

    public static final EventType<ServiceStopped> SERVICE_STOPPED = new EventType<>(
            "io.pxewings.service.stopped.v1", Topics.SERVICE_LIFECYCLE, ServiceStopped.class,
            "'<service>/<instance>'", "A service instance began an orderly shutdown.");

    public static final EventType<DiscoverSeen> DHCP_DISCOVER_SEEN = new EventType<>(
            "io.pxewings.dhcp.discover.seen.v1", Topics.DHCP_FACTS, DiscoverSeen.class, "boot NIC MAC",
            "A DHCPDISCOVER arrived: the machine's firmware facts.");

    public static final EventType<BootOffered> DHCP_BOOT_OFFERED = new EventType<>(
            "io.pxewings.dhcp.boot.offered.v1", Topics.DHCP_FACTS, BootOffered.class, "boot NIC MAC",
            "An OFFER or ACK told a network-boot client what to boot, and why.");

    public static final EventType<LeaseChanged> DHCP_LEASE_BOUND = lease("io.pxewings.dhcp.lease.bound.v1", "A client was acknowledged an address it did not hold.");

    public static final EventType<LeaseChanged> DHCP_LEASE_RENEWED = lease("io.pxewings.dhcp.lease.renewed.v1", "A client extended the lease it holds.");

    public static final EventType<LeaseChanged> DHCP_LEASE_RELEASED = lease("io.pxewings.dhcp.lease.released.v1", "A client gave its address back.");

    public static final EventType<LeaseChanged> DHCP_LEASE_EXPIRED = lease("io.pxewings.dhcp.lease.expired.v1", "A lease ran out without renewal.");

    public static final EventType<LeaseChanged> DHCP_LEASE_DECLINED = lease("io.pxewings.dhcp.lease.declined.v1",
            "A client found its address in use (DHCPDECLINE); the address is quarantined.");

    public static final EventType<BootIntent> BOOT_INTENT_UPDATED = new EventType<>(
            "io.pxewings.boot.intent.updated.v1", Topics.BOOT_INTENTS, BootIntent.class, "boot NIC MAC",
            "The boot intent of a NIC was set or changed (desired state, latest per MAC wins).");

    public static final EventType<Reservation> DHCP_RESERVATION_UPDATED = new EventType<>(
            "io.pxewings.dhcp.reservation.updated.v1", Topics.DHCP_RESERVATIONS, Reservation.class, "boot NIC MAC",
            "A NIC's fixed address was set or changed (desired state, latest per MAC wins).");

    public static final EventType<TransferStarted> TFTP_TRANSFER_STARTED = new EventType<>(
            "io.pxewings.tftp.transfer.started.v1", Topics.TFTP_FACTS, TransferStarted.class, "boot NIC MAC, else client IPv4",
            "A TFTP read transfer began, with the options it negotiated.");

    public static final EventType<TransferCompleted> TFTP_TRANSFER_COMPLETED = new EventType<>(
            "io.pxewings.tftp.transfer.completed.v1", Topics.TFTP_FACTS, TransferCompleted.class,
            "boot NIC MAC, else client IPv4", "A client acknowledged the last block of a TFTP transfer.");

    public static final EventType<TransferFailed> TFTP_TRANSFER_FAILED = new EventType<>(
            "io.pxewings.tftp.transfer.failed.v1", Topics.TFTP_FACTS, TransferFailed.class, "boot NIC MAC, else client IPv4",
            "A TFTP request or transfer ended without the whole file: timeout, client error, not found, refused or busy.");

    public static final EventType<ScriptServed> BOOT_SCRIPT_SERVED = new EventType<>(
            "io.pxewings.boot.script.served.v1", Topics.HTTP_BOOT_FACTS, ScriptServed.class, "boot NIC MAC",
            "http-boot-service served a machine its iPXE script, for this intent and template.");

    public static final EventType<FileServed> BOOT_FILE_SERVED = new EventType<>(
            "io.pxewings.boot.file.served.v1", Topics.HTTP_BOOT_FACTS, FileServed.class,
            "boot NIC MAC when known, else the client's IP address",
            "http-boot-service finished answering a boot file request (whole file, a range, or not modified).");

    public static final EventType<AgentTask> AGENT_TASK_ASSIGNED = new EventType<>(
            "io.pxewings.agent.task.assigned.v1", Topics.AGENT_TASKS, AgentTask.class, "boot NIC MAC",
            "The next task for a machine's agent was set (desired state, latest per MAC wins).");

    public static final EventType<InventoryReported> AGENT_INVENTORY_REPORTED = new EventType<>(
            "io.pxewings.agent.inventory.reported.v1", Topics.AGENT_FACTS, InventoryReported.class, "boot NIC MAC",
            "A RAM-OS agent reported its machine's hardware.");

    public static final EventType<TaskProgress> AGENT_TASK_PROGRESS = new EventType<>(
            "io.pxewings.agent.task.progress.v1", Topics.AGENT_FACTS, TaskProgress.class, "boot NIC MAC",
            "An agent reported how far a task got.");

    public static final EventType<TaskResult> AGENT_TASK_COMPLETED = new EventType<>(
            "io.pxewings.agent.task.completed.v1", Topics.AGENT_FACTS, TaskResult.class, "boot NIC MAC",
            "An agent finished a task successfully.");

    public static final EventType<TaskResult> AGENT_TASK_FAILED = new EventType<>(
            "io.pxewings.agent.task.failed.v1", Topics.AGENT_FACTS, TaskResult.class, "boot NIC MAC",
            "An agent gave up on a task.");

    public static final EventType<FirstBoot> AGENT_FIRST_BOOT = new EventType<>(
            "io.pxewings.agent.first-boot.v1", Topics.AGENT_FACTS, FirstBoot.class, "boot NIC MAC",
            "The installed system's first boot phoned home with the token its seed carried.");

    public static final EventType<AgentLog> AGENT_LOG = new EventType<>(
            "io.pxewings.agent.log.v1", Topics.AGENT_FACTS, AgentLog.class, "boot NIC MAC",
            "Lines an agent logged.");

    public static final EventType<MachineRegistered> MACHINE_REGISTERED = new EventType<>(
            "io.pxewings.machine.registered.v1", Topics.MACHINE_FACTS, MachineRegistered.class, "machine id",
            "inventory-service learned of a machine: discovered, reported by its agent, imported or created.");

    public static final EventType<MachineUpdated> MACHINE_UPDATED = new EventType<>(
            "io.pxewings.machine.updated.v1", Topics.MACHINE_FACTS, MachineUpdated.class, "machine id",
            "A machine's record changed, with the names of the fields that did.");

    public static final EventType<HardwareChanged> MACHINE_HARDWARE_CHANGED = new EventType<>(
            "io.pxewings.machine.hardware.changed.v1", Topics.MACHINE_FACTS, HardwareChanged.class, "machine id",
            "An agent inventory differs from the machine's previous one; the differences.");

    public static final EventType<MachineDeleted> MACHINE_DELETED = new EventType<>(
            "io.pxewings.machine.deleted.v1", Topics.MACHINE_FACTS, MachineDeleted.class, "machine id",
            "A machine left inventory: deleted by an operator or merged into another record.");

    public static final EventType<BmcCommand> BMC_COMMAND_REQUESTED = new EventType<>(
            "io.pxewings.bmc.command.requested.v1", Topics.BMC_COMMANDS, BmcCommand.class, "machine id",
            "A power, boot-device or virtual-media command for a machine's BMC.");

    public static final EventType<CommandResult> BMC_COMMAND_COMPLETED = new EventType<>(
            "io.pxewings.bmc.command.completed.v1", Topics.BMC_FACTS, CommandResult.class, "machine id",
            "A BMC command was carried out and its effect confirmed.");

    public static final EventType<CommandResult> BMC_COMMAND_FAILED = new EventType<>(
            "io.pxewings.bmc.command.failed.v1", Topics.BMC_FACTS, CommandResult.class, "machine id",
            "A BMC command failed, with the reason and the attempt it ended on.");

    public static final EventType<PowerChanged> BMC_POWER_CHANGED = new EventType<>(
            "io.pxewings.bmc.power.changed.v1", Topics.BMC_FACTS, PowerChanged.class, "machine id",
            "A machine's power state, as its BMC reports it, changed.");

    public static final EventType<Reachability> BMC_UNREACHABLE = new EventType<>(
            "io.pxewings.bmc.unreachable.v1", Topics.BMC_FACTS, Reachability.class, "machine id",
            "A BMC stopped answering: its circuit breaker opened.");

    public static final EventType<Reachability> BMC_REACHABLE = new EventType<>(
            "io.pxewings.bmc.reachable.v1", Topics.BMC_FACTS, Reachability.class, "machine id",
            "A BMC whose breaker was open answers again: the breaker closed.");

    public static final EventType<ImageChanged> IMAGE_PUBLISHED = image("io.pxewings.image.published.v1",
            "An image was published in the catalog: immutable from now on.");

    public static final EventType<ImageChanged> IMAGE_DEPRECATED = image("io.pxewings.image.deprecated.v1",
            "An image was deprecated: still deployable, no longer preferred.");

    public static final EventType<ImageChanged> IMAGE_YANKED = image("io.pxewings.image.yanked.v1",
            "An image was yanked: never deployed again.");

    public static final EventType<ImageChanged> IMAGE_DELETED = image("io.pxewings.image.deleted.v1",
            "An image left the catalog; its blob is collected once no image names it.");

    public static final EventType<CacheBlob> IMAGE_CACHE_BLOB_FETCHED = new EventType<>(
            "io.pxewings.image.cache.blob.fetched.v1", Topics.IMAGE_FACTS, CacheBlob.class, "blob digest",
            "A site cache fetched a blob from its upstream, and its digest checked out.");

    public static final EventType<CacheBlob> IMAGE_CACHE_BLOB_EVICTED = new EventType<>(
            "io.pxewings.image.cache.blob.evicted.v1", Topics.IMAGE_FACTS, CacheBlob.class, "blob digest",
            "A site cache evicted a blob to stay within its byte budget.");

    public static final EventType<RunSnapshot> RUN_STARTED = run("io.pxewings.run.started.v1",
            "A run was asked for: queued behind its site's caps, or running at once.");

    public static final EventType<RunSnapshot> RUN_STAGE_CHANGED = run("io.pxewings.run.stage.changed.v1",
            "A run entered a stage, or tries it again after a failure it may retry.");

    public static final EventType<RunSnapshot> RUN_SUCCEEDED = run("io.pxewings.run.succeeded.v1",
            "A run ended well: for provision, the installed system phoned home for this attempt.");

    public static final EventType<RunSnapshot> RUN_FAILED = run("io.pxewings.run.failed.v1",
            "A run ended in failure, with the reason; nothing of it runs any more.");

    public static final EventType<RunSnapshot> RUN_CANCELLED = run("io.pxewings.run.cancelled.v1",
            "An operator cancelled a run; nothing of it runs any more.");

    public static final EventType<LifecycleChanged> MACHINE_LIFECYCLE_CHANGED = new EventType<>(
            "io.pxewings.machine.lifecycle.changed.v1", Topics.RUN_FACTS, LifecycleChanged.class, "machine id",
            "A machine's lifecycle state changed (the orchestrator owns it; inventory-service records it).");

    private static EventType<RunSnapshot> run(String type, String description) {
        return new EventType<>(type, Topics.RUN_FACTS, RunSnapshot.class, "machine id", description);
    }

    private static EventType<ImageChanged> image(String type, String description) {
        return new EventType<>(type, Topics.IMAGE_FACTS, ImageChanged.class, "image name", description);
    }

    private static EventType<LeaseChanged> lease(String type, String description) {
        return new EventType<>(type, Topics.DHCP_FACTS, LeaseChanged.class, "boot NIC MAC", description);
    }

    private EventTypes() {
    }
}
