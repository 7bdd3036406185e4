package io.pxewings.httpboot.facts;

import io.pxewings.common.events.EventPublisher;
import io.pxewings.events.EventTypes;
import io.pxewings.events.agent.AgentLog;
import io.pxewings.events.agent.FirstBoot;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.agent.TaskProgress;
import io.pxewings.events.agent.TaskResult;
import io.pxewings.events.httpboot.FileServed;
import io.pxewings.events.httpboot.ScriptServed;
import io.pxewings.httpboot.ipxe.ScriptPlan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Publishes what http-boot-service served machines and what their agents reported. Fire and forget: a response never waits on
 * Kafka; what does not fit the publisher's buffer is counted there.
 */
@ApplicationScoped
public class HttpBootFacts {

    @Inject
    EventPublisher publisher;

    public void scriptServed(ScriptPlan.Plan p, String client) {
        publisher.publish(EventTypes.BOOT_SCRIPT_SERVED, p.mac(), new ScriptServed(p.mac(), client, p.intent(), p.template(),
                p.source(), p.machineId(), p.profile(), p.detail()));
    }

    public void fileServed(FileServed f) {
        publisher.publish(EventTypes.BOOT_FILE_SERVED, f.mac() != null ? f.mac() : f.client(), f);
    }

    public void inventory(InventoryReported r) {
        publisher.publish(EventTypes.AGENT_INVENTORY_REPORTED, r.mac(), r);
    }

    public void progress(TaskProgress p) {
        publisher.publish(EventTypes.AGENT_TASK_PROGRESS, p.mac(), p);
    }

    public void result(boolean completed, TaskResult r) {
        publisher.publish(completed ? EventTypes.AGENT_TASK_COMPLETED : EventTypes.AGENT_TASK_FAILED, r.mac(), r);
    }

    public void firstBoot(FirstBoot f) {
        publisher.publish(EventTypes.AGENT_FIRST_BOOT, f.mac(), f);
    }

    public void log(AgentLog l) {
        publisher.publish(EventTypes.AGENT_LOG, l.mac(), l);
    }
}
