package io.pxewings.events.agent;

/**
 * An agent reported how far a task got.
 *
 * @param mac     the boot NIC
 * @param taskId  the task
 * @param percent 0-100, or null when the task cannot tell
 * @param message what it is doing, for people
 */
public record TaskProgress(String mac, String taskId, Integer percent, String message) {
}
