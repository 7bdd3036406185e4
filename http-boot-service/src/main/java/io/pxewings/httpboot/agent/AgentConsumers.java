package io.pxewings.httpboot.agent;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.EventTypes;
import io.pxewings.events.agent.FirstBoot;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.httpboot.firstboot.FirstBoots;
import io.pxewings.events.agent.TaskResult;
import io.pxewings.events.codec.UnknownEventTypeException;
import io.pxewings.events.codec.WingsEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Feeds {@link TaskView} and {@link Inventories}: the whole compacted tasks topic from the
 * beginning at every start, and this site's agent facts from now on, so a result posted to
 * another instance of the site also stops this one from handing the task out again, its
 * inventories reach this one's installer templates, and a first boot reported to it spends the
 * token here too.
 */
@ApplicationScoped
public class AgentConsumers {

    @Inject
    TaskView tasks;

    @Inject
    Inventories inventories;

    @Inject
    MachineBoots boots;

    @Inject
    FirstBoots firstBoots;

    @Inject
    ServiceIdentity identity;

    @Inject
    MeterRegistry registry;

    @Incoming("agent-tasks")
    public void task(ConsumerRecord<String, byte[]> record) {
        String outcome = "invalid";
        try {
            outcome = tasks.apply(record);
        } finally {
            ConsumerMetrics.count(registry, "http-boot-agent-tasks", EventTypes.AGENT_TASK_ASSIGNED.type(), outcome);
        }
    }

    @Incoming("agent-facts")
    public void fact(ConsumerRecord<String, byte[]> record) {
        WingsEvent<?> event;
        try {
            event = IncomingEvents.decode(record);
        } catch (UnknownEventTypeException newer) {
            ConsumerMetrics.count(registry, "http-boot-agent-facts", "unknown-type", "skipped");
            return;
        }
        if (!identity.site().equals(event.site())) {
            ConsumerMetrics.count(registry, "http-boot-agent-facts", event.type().type(), "other-site");
            return;
        }
        String outcome = "skipped";
        if (event.type() == EventTypes.AGENT_INVENTORY_REPORTED && event.data() instanceof InventoryReported r) {
            inventories.put(r);
            boots.activated(r.mac(), r.bootId(), event.time());
            outcome = "applied";
        } else if (event.type() == EventTypes.AGENT_FIRST_BOOT && event.data() instanceof FirstBoot f) {
            firstBoots.spent(f.mac(), f.bootId());
            outcome = "applied";
        } else if ((event.type() == EventTypes.AGENT_TASK_COMPLETED || event.type() == EventTypes.AGENT_TASK_FAILED)
                && event.data() instanceof TaskResult r) {
            tasks.markDone(r.taskId());
            outcome = "applied";
        }
        ConsumerMetrics.count(registry, "http-boot-agent-facts", event.type().type(), outcome);
    }
}
