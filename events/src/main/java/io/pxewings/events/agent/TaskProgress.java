package io.pxewings.events.agent;

/**
 * An agent reported how far a task got.
 *
 * @param mac            the boot NIC
 * @param taskId         the task
 * @param percent        0-100, or null when the task cannot tell
 * @param message        what it is doing, for people
 * @param bytes          bytes done so far (written, zeroed), or null for a task that moves no data
 * @param totalBytes     bytes the task will move, or null
 * @param bytesPerSecond the average rate since the task started, or null
 */
public record TaskProgress(String mac, String taskId, Integer percent, String message, Long bytes, Long totalBytes,
                           Long bytesPerSecond) {

    /** Progress of a task that moves no data. */
    public TaskProgress(String mac, String taskId, Integer percent, String message) {
        this(mac, taskId, percent, message, null, null, null);
    }
}
