package io.pxewings.orchestrator.runs;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.ConsumerMetrics;
import io.pxewings.common.events.InPlace;
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
 * Applies the facts of the partitions of {@code wings.orchestrator.inputs} this instance owns
 * ({@link Ownership}): a poll's batch in one transaction ({@link RunEngine#applyAll}), each fact once.
 * A database that is away holds the batch, tried again in place (the partition's order holds, and
 * nothing is committed to Kafka before PostgreSQL). A fact the engine cannot apply (a bug, not an
 * outage) is taken out of the batch, logged with its id and counted ({@code outcome="error"}), and
 * the rest applied; its run's deadline still fires, so the run fails or retries visibly.
 */
@ApplicationScoped
public class RunInputsConsumer {

    private static final Logger LOG = Logger.getLogger(RunInputsConsumer.class);
    static final String NAME = "orchestrator-run-inputs";

    @Inject
    RunEngine engine;

    @Inject
    MeterRegistry registry;

    @Incoming("run-inputs")
    @Blocking(ordered = true)
    public void apply(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<RunEngine.Fact> facts = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                IncomingEvents.decodeOrSkip(record, registry, NAME).flatMap(e -> fact(record, e)).ifPresentOrElse(facts::add, () -> { });
            } catch (RuntimeException notAnEvent) {
                // counted and logged by decodeOrSkip; the router dead-lettered records that are not events before forwarding
            }
        }
        // Gate rows are locked site by site in this order, in every instance: two batches never wait on each other's sites in a cycle.
        facts.sort(Comparator.comparing(RunEngine.Fact::site));
        List<String> outcomes = appliedUntilStored(facts);
        for (int i = 0; i < facts.size(); i++) {
            ConsumerMetrics.count(registry, NAME, facts.get(i).type(), outcomes.get(i));
        }
    }

    private Optional<RunEngine.Fact> fact(ConsumerRecord<String, byte[]> record, WingsEvent<?> e) {
        Header origin = record.headers().lastHeader(FactRouter.ORIGIN_KEY);
        String key = origin == null ? e.key() : new String(origin.value(), StandardCharsets.UTF_8);
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
        } else if (e.type() == EventTypes.BMC_COMMAND_COMPLETED) {
            input = new Input.BmcDone(e.dataAs(EventTypes.BMC_COMMAND_COMPLETED).commandId());
        } else if (e.type() == EventTypes.BMC_COMMAND_FAILED) {
            CommandResult r = e.dataAs(EventTypes.BMC_COMMAND_FAILED);
            input = new Input.BmcFailed(r.commandId(), r.reason(), r.message());
        }
        if (input == null || key == null) {
            ConsumerMetrics.count(registry, NAME, e.type().type(), "skipped");
            return Optional.empty();
        }
        return Optional.of(new RunEngine.Fact(e.id(), key, input, e.time(), e.site() == null ? "" : e.site(), e.type().type()));
    }

    private List<String> appliedUntilStored(List<RunEngine.Fact> facts) throws InterruptedException {
        try {
            return InPlace.retry(facts.size() + " facts not applied yet", SQLException.class::isInstance, () -> engine.applyAll(facts));
        } catch (RuntimeException bug) {
            return oneByOne(facts, bug);
        }
    }

    /** A fact broke the batch: each alone, so one fact the engine cannot apply does not hold back the others. */
    private List<String> oneByOne(List<RunEngine.Fact> facts, RuntimeException cause) throws InterruptedException {
        LOG.errorf(cause, "a batch of %d facts failed; applying them one by one", facts.size());
        List<String> out = new ArrayList<>(facts.size());
        for (RunEngine.Fact f : facts) {
            try {
                out.add(InPlace.retry("fact " + f.eventId() + " not applied yet", SQLException.class::isInstance,
                        () -> engine.applyAll(List.of(f)).get(0)));
            } catch (RuntimeException bug) {
                LOG.errorf(bug, "fact %s (%s, machine %s) cannot be applied; it moves nothing", f.eventId(), f.type(), f.machineKey());
                out.add("error");
            }
        }
        return out;
    }
}
