package io.pxewings.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.pxewings.events.catalog.EventType;
import io.pxewings.events.catalog.TopicSpec;

/**
 * The whole contract in one place: the topics to create and the types that may travel on them.
 * The launcher and the tests create topics from it; the docs are checked against it.
 */
public final class EventCatalog {

    private static final List<TopicSpec> TOPICS = List.of(Topics.SERVICE_LIFECYCLE, Topics.BOOT_INTENTS,
            Topics.DHCP_RESERVATIONS, Topics.DHCP_FACTS, Topics.TFTP_FACTS, Topics.HTTP_BOOT_FACTS, Topics.AGENT_TASKS,
            Topics.AGENT_FACTS, Topics.MACHINE_FACTS, Topics.BMC_COMMANDS, Topics.BMC_FACTS, Topics.IMAGE_FACTS,
            Topics.RUN_FACTS, Topics.ORCHESTRATOR_INPUTS, Topics.DEAD_LETTER);

    private static final List<EventType<?>> TYPES = List.of(EventTypes.SERVICE_STARTED, EventTypes.SERVICE_ALIVE, EventTypes.SERVICE_STOPPED,
            EventTypes.DHCP_DISCOVER_SEEN, EventTypes.DHCP_BOOT_OFFERED, EventTypes.DHCP_LEASE_BOUND,
            EventTypes.DHCP_LEASE_RENEWED, EventTypes.DHCP_LEASE_RELEASED, EventTypes.DHCP_LEASE_EXPIRED,
            EventTypes.DHCP_LEASE_DECLINED, EventTypes.BOOT_INTENT_UPDATED, EventTypes.DHCP_RESERVATION_UPDATED,
            EventTypes.TFTP_TRANSFER_STARTED, EventTypes.TFTP_TRANSFER_COMPLETED, EventTypes.TFTP_TRANSFER_FAILED,
            EventTypes.BOOT_SCRIPT_SERVED, EventTypes.BOOT_FILE_SERVED, EventTypes.AGENT_TASK_ASSIGNED,
            EventTypes.AGENT_INVENTORY_REPORTED, EventTypes.AGENT_TASK_PROGRESS, EventTypes.AGENT_TASK_COMPLETED,
            EventTypes.AGENT_TASK_FAILED, EventTypes.AGENT_FIRST_BOOT, EventTypes.AGENT_LOG, EventTypes.MACHINE_REGISTERED,
            EventTypes.MACHINE_UPDATED, EventTypes.MACHINE_HARDWARE_CHANGED, EventTypes.MACHINE_DELETED,
            EventTypes.BMC_COMMAND_REQUESTED, EventTypes.BMC_COMMAND_COMPLETED, EventTypes.BMC_COMMAND_FAILED,
            EventTypes.BMC_POWER_CHANGED, EventTypes.BMC_UNREACHABLE, EventTypes.BMC_REACHABLE, EventTypes.IMAGE_PUBLISHED,
            EventTypes.IMAGE_DEPRECATED, EventTypes.IMAGE_YANKED, EventTypes.IMAGE_DELETED, EventTypes.IMAGE_CACHE_BLOB_FETCHED,
            EventTypes.IMAGE_CACHE_BLOB_EVICTED, EventTypes.RUN_STARTED, EventTypes.RUN_STAGE_CHANGED, EventTypes.RUN_SUCCEEDED,
            EventTypes.RUN_FAILED, EventTypes.RUN_CANCELLED, EventTypes.MACHINE_LIFECYCLE_CHANGED);

    private static final Map<String, EventType<?>> BY_TYPE = index();

    private EventCatalog() {
    }

    public static List<TopicSpec> topics() {
        return TOPICS;
    }

    public static List<EventType<?>> types() {
        return TYPES;
    }

    public static Optional<EventType<?>> find(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    private static Map<String, EventType<?>> index() {
        Map<String, EventType<?>> map = new LinkedHashMap<>();
        for (EventType<?> t : TYPES) {
            if (map.put(t.type(), t) != null) {
                throw new IllegalStateException("event type listed twice: " + t.type());
            }
            if (!TOPICS.contains(t.topic())) {
                throw new IllegalStateException(t.type() + " travels on a topic missing from the catalog: "
                        + t.topic().name());
            }
        }
        return Map.copyOf(map);
    }
}
