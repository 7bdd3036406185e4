package io.pxewings.orchestrator.runs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

import io.pxewings.common.config.ServiceIdentity;
import io.pxewings.common.outbox.OutboxRows;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.agent.AgentTask;
import io.pxewings.events.bmc.BmcCommand;
import io.pxewings.events.boot.BootIntent;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.run.LifecycleChanged;
import io.pxewings.events.run.RunSnapshot;
import io.pxewings.orchestrator.workflow.Command;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A run's commands and facts as outbox rows in the run's own transaction: desired state keyed by
 * the boot MAC (boot intents, agent tasks), BMC commands and run facts keyed by the machine id, each
 * in the run's trace and stamped with the machine's site (the edges of that site act on them).
 */
@ApplicationScoped
public class RunCommands {

    @Inject
    ServiceIdentity identity;

    public void send(Connection c, Run run, Command command) throws SQLException {
        Instant now = Instant.now();
        if (command instanceof Command.SetIntent s) {
            add(c, run, EventTypes.BOOT_INTENT_UPDATED, run.mac(),
                    new BootIntent(run.mac(), s.intent(), run.machineId(), s.reason() + " (run " + run.id() + ")", now));
        } else if (command instanceof Command.AssignTask t) {
            add(c, run, EventTypes.AGENT_TASK_ASSIGNED, run.mac(), new AgentTask(t.taskId(), run.mac(), t.kind(), t.params(), now));
        } else if (command instanceof Command.ClearTask) {
            OutboxRows.addTombstone(c, Topics.AGENT_TASKS.name(), run.mac(), "agent.task.cleared");
        } else if (command instanceof Command.Bmc b) {
            add(c, run, EventTypes.BMC_COMMAND_REQUESTED, run.machineId(), new BmcCommand(b.commandId(), run.machineId(), b.action(),
                    b.bootDevice(), b.persistent(), b.efi(), null, "orchestrator run " + run.id()));
        }
    }

    public void fact(Connection c, Run run, EventType<RunSnapshot> type) throws SQLException {
        add(c, run, type, run.machineId(), run.snapshot());
    }

    public void lifecycle(Connection c, Run run, String from, String to, String reason) throws SQLException {
        add(c, run.machineId(), run.site(), run.trace(), EventTypes.MACHINE_LIFECYCLE_CHANGED, run.machineId(),
                new LifecycleChanged(run.machineId(), from, to, run.id(), reason));
    }

    /** A lifecycle change no run caused (an operator's maintenance). */
    public void lifecycle(Connection c, String machineId, String site, String trace, String from, String to, String reason) throws SQLException {
        add(c, machineId, site, trace, EventTypes.MACHINE_LIFECYCLE_CHANGED, machineId, new LifecycleChanged(machineId, from, to, null, reason));
    }

    private <T extends Record> void add(Connection c, Run run, EventType<T> type, String key, T data) throws SQLException {
        add(c, run.machineId(), run.site(), run.trace(), type, key, data);
    }

    private <T extends Record> void add(Connection c, String machineId, String site, String trace, EventType<T> type, String key, T data)
            throws SQLException {
        Traceparent parent = trace == null ? Traceparent.newRoot() : Traceparent.parse(trace);
        OutboxRows.add(c, new WingsEvent<>(io.pxewings.common.events.EventPublisher.newEventId(), type, identity.source(), machineId,
                site, Instant.now(), parent.child(), key, data));
    }
}
