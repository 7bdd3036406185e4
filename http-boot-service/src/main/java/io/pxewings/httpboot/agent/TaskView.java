package io.pxewings.httpboot.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.events.DesiredState;
import io.pxewings.events.EventTypes;
import io.pxewings.events.agent.AgentTask;
import io.pxewings.events.codec.EventDecodingException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The local view of {@code wings.agent.tasks} that agents' long polls are answered from: the
 * latest task per MAC, minus the tasks whose result this instance has seen, plus the polls
 * waiting for a task. Written by the consumer thread and request threads; every structure is
 * concurrent.
 */
@ApplicationScoped
public class TaskView {

    /** Results remembered, so a finished task is not handed out again before it is replaced. */
    static final int DONE_REMEMBERED = 100_000;

    private final Map<String, AgentTask> byMac = new ConcurrentHashMap<>();
    private final Set<String> done = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > DONE_REMEMBERED;
                }
            }));
    private final Map<String, List<CompletableFuture<AgentTask>>> waiters = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    @Inject
    MeterRegistry registry;

    @jakarta.annotation.PostConstruct
    void metrics() {
        Gauge.builder("wings_http_boot_agent_polls_waiting", waiting, AtomicInteger::get)
                .description("Agent long polls waiting for a task").register(registry);
        Gauge.builder("wings_http_boot_agent_tasks", byMac, Map::size)
                .description("Agent tasks in this instance's local view").register(registry);
    }

    /** The machine's task, unless its result was seen. */
    public Optional<AgentTask> current(String mac) {
        AgentTask t = byMac.get(mac);
        return t == null || done.contains(t.id()) ? Optional.empty() : Optional.of(t);
    }

    /** Completes when a task for the MAC arrives; the caller times it out and must call {@link #cancel}. */
    public CompletableFuture<AgentTask> await(String mac) {
        CompletableFuture<AgentTask> f = new CompletableFuture<>();
        // Counted until it completes, however it completes (a task, the caller's timeout): the
        // gauge cannot drift when a wake and a new poll race.
        waiting.incrementAndGet();
        f.whenComplete((t, e) -> waiting.decrementAndGet());
        waiters.computeIfAbsent(mac, m -> Collections.synchronizedList(new ArrayList<>())).add(f);
        current(mac).ifPresent(t -> wake(mac, t));   // it may have arrived while we registered
        return f;
    }

    public void cancel(String mac, CompletableFuture<AgentTask> f) {
        waiters.computeIfPresent(mac, (m, list) -> {
            list.remove(f);
            return list.isEmpty() ? null : list;
        });
    }

    public void markDone(String taskId) {
        done.add(taskId);
    }

    /**
     * Applies one record of the tasks topic; returns the outcome to count.
     *
     * @throws EventDecodingException for a record that is not a valid task (for the dead-letter strategy)
     */
    public String apply(ConsumerRecord<String, byte[]> record) {
        DesiredState.Change<AgentTask> change = DesiredState.read(record, EventTypes.AGENT_TASK_ASSIGNED);
        if (change instanceof DesiredState.Removed<AgentTask> removed) {
            byMac.remove(removed.key());
            return "removed";
        }
        if (change instanceof DesiredState.Updated<AgentTask> updated) {
            AgentTask t = updated.value();
            if (t.id() == null || t.id().isBlank() || !AgentTask.KINDS.contains(t.kind()) || !updated.key().equals(t.mac())) {
                throw new EventDecodingException("invalid agent task for key " + updated.key() + ": " + t);
            }
            put(t);
            return "applied";
        }
        return "skipped";
    }

    /** Sets a task as if it had arrived on the topic, and wakes the machine's waiting polls. */
    public void put(AgentTask t) {
        byMac.put(t.mac(), t);
        if (!done.contains(t.id())) {
            wake(t.mac(), t);
        }
    }

    private void wake(String mac, AgentTask t) {
        List<CompletableFuture<AgentTask>> list = waiters.remove(mac);
        if (list != null) {
            synchronized (list) {
                for (CompletableFuture<AgentTask> f : list) {
                    f.complete(t);
                }
            }
        }
    }
}
