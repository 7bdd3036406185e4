package io.pxewings.orchestrator.runs;

import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.IncomingEvents;
import io.pxewings.events.EventTypes;
import io.pxewings.events.agent.TaskResult;
import io.pxewings.events.bmc.CommandResult;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.orchestrator.workflow.Input;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The facts that move runs: what agents reported (keyed by boot MAC) and what bmc-service did
 * (keyed by machine id), each applied once by {@link RunEngine}. A fact that cannot be applied
 * because the database is away is tried again, in place, until it is (the dead-letter topic is for
 * records that are not events, never for facts a run needs; and the partition's order holds).
 */
@ApplicationScoped
public class RunFactsConsumer {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RunFactsConsumer.class);

    static final String AGENT = "orchestrator-agent-facts";
    static final String BMC = "orchestrator-bmc-facts";

    @Inject
    RunEngine engine;

    @Inject
    MeterRegistry registry;

    @Incoming("agent-facts")
    @Blocking(ordered = true)
    public void agent(ConsumerRecord<String, byte[]> record) throws Exception {
        Optional<WingsEvent<?>> decoded = IncomingEvents.decodeOrSkip(record, registry, AGENT);
        if (decoded.isEmpty()) {
            return;
        }
        WingsEvent<?> e = decoded.get();
        Input input = null;
        if (e.type() == EventTypes.AGENT_INVENTORY_REPORTED) {
            input = new Input.AgentUp(e.dataAs(EventTypes.AGENT_INVENTORY_REPORTED).bootId());
        } else if (e.type() == EventTypes.AGENT_TASK_COMPLETED) {
            TaskResult r = e.dataAs(EventTypes.AGENT_TASK_COMPLETED);
            input = new Input.TaskDone(r.taskId(), r.message());
        } else if (e.type() == EventTypes.AGENT_TASK_FAILED) {
            TaskResult r = e.dataAs(EventTypes.AGENT_TASK_FAILED);
            input = new Input.TaskFailed(r.taskId(), r.message());
        } else if (e.type() == EventTypes.AGENT_FIRST_BOOT) {
            var f = e.dataAs(EventTypes.AGENT_FIRST_BOOT);
            input = new Input.FirstBooted(f.bootId(), f.hostname());
        }
        if (input == null || e.key() == null) {
            ConsumerMetrics.count(registry, AGENT, e.type().type(), "skipped");
            return;
        }
        ConsumerMetrics.count(registry, AGENT, e.type().type(), applied(e, input));
    }

    private String applied(WingsEvent<?> e, Input input) throws InterruptedException {
        long wait = 200;
        while (true) {
            try {
                return engine.apply(e.id(), e.key(), input, e.time());
            } catch (java.sql.SQLException ex) {
                LOG.warnf("%s %s not applied yet (%s): again in %d ms", e.type().type(), e.id(), ex.getMessage(), wait);
                Thread.sleep(wait);
                wait = Math.min(wait * 2, 10_000);
            }
        }
    }

    @Incoming("bmc-facts")
    @Blocking(ordered = true)
    public void bmc(ConsumerRecord<String, byte[]> record) throws Exception {
        Optional<WingsEvent<?>> decoded = IncomingEvents.decodeOrSkip(record, registry, BMC);
        if (decoded.isEmpty()) {
            return;
        }
        WingsEvent<?> e = decoded.get();
        Input input = null;
        if (e.type() == EventTypes.BMC_COMMAND_COMPLETED) {
            input = new Input.BmcDone(e.dataAs(EventTypes.BMC_COMMAND_COMPLETED).commandId());
        } else if (e.type() == EventTypes.BMC_COMMAND_FAILED) {
            CommandResult r = e.dataAs(EventTypes.BMC_COMMAND_FAILED);
            input = new Input.BmcFailed(r.commandId(), r.reason(), r.message());
        }
        if (input == null || e.key() == null) {
            ConsumerMetrics.count(registry, BMC, e.type().type(), "skipped");
            return;
        }
        ConsumerMetrics.count(registry, BMC, e.type().type(), applied(e, input));
    }
}
