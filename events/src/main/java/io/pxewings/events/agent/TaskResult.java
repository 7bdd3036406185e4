package io.pxewings.events.agent;

import java.util.Map;

/**
 * An agent finished a task: the payload of {@code agent.task.completed} and {@code agent.task.failed}.
 *
 * @param mac     the boot NIC
 * @param taskId  the task
 * @param kind    the task's kind
 * @param message what happened, for people (the error, for a failure)
 * @param details the kind's results as key-value pairs
 */
public record TaskResult(String mac, String taskId, String kind, String message, Map<String, String> details) {
}
