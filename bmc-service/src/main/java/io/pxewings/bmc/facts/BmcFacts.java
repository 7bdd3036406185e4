package io.pxewings.bmc.facts;

import java.util.concurrent.CompletionStage;

import io.pxewings.common.events.EventPublisher;
import io.pxewings.events.EventTypes;
import io.pxewings.events.bmc.CommandResult;
import io.pxewings.events.bmc.PowerChanged;
import io.pxewings.events.bmc.Reachability;
import io.pxewings.events.codec.Traceparent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** bmc-service's facts on {@code wings.bmc.facts}, keyed by machine id; a command's facts continue its trace. */
@ApplicationScoped
public class BmcFacts {

    @Inject
    EventPublisher publisher;

    public CompletionStage<Void> completed(CommandResult r, Traceparent trace) {
        return publisher.publish(EventTypes.BMC_COMMAND_COMPLETED, r.machineId(), r, trace);
    }

    public CompletionStage<Void> failed(CommandResult r, Traceparent trace) {
        return publisher.publish(EventTypes.BMC_COMMAND_FAILED, r.machineId(), r, trace);
    }

    public CompletionStage<Void> powerChanged(PowerChanged p, Traceparent trace) {
        return publisher.publish(EventTypes.BMC_POWER_CHANGED, p.machineId(), p, trace);
    }

    public CompletionStage<Void> unreachable(Reachability r) {
        return publisher.publish(EventTypes.BMC_UNREACHABLE, r.machineId(), r);
    }

    public CompletionStage<Void> reachable(Reachability r) {
        return publisher.publish(EventTypes.BMC_REACHABLE, r.machineId(), r);
    }
}
