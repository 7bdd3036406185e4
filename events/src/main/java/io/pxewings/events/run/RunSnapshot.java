package io.pxewings.events.run;

import java.time.Instant;

/**
 * A run as the orchestrator holds it after a change: one workflow on one machine. The payload of
 * every {@code run.*} fact, so a consumer needs no other call to show it.
 *
 * @param id         the run (a UUID)
 * @param machineId  the machine (inventory id; also the key)
 * @param mac        its boot NIC
 * @param site       its site
 * @param workflow   the workflow and its stored version, {@code name@version} ({@code provision@1})
 * @param image      {@code name:version} for workflows that write one, else null
 * @param attempt    1 for the first try of the whole run, counted up when it is restarted
 * @param status     queued, running, succeeded, failed or cancelled
 * @param stage      the stage it is in (or ended in)
 * @param stageTry   1 for the stage's first try, counted up on each retry
 * @param deadline   when the stage times out, or null when the run is not running
 * @param error      why it failed, or null
 * @param createdAt  when it was asked for
 * @param updatedAt  when this changed
 */
public record RunSnapshot(String id, String machineId, String mac, String site, String workflow, String image, int attempt,
                          String status, String stage, int stageTry, Instant deadline, String error, Instant createdAt,
                          Instant updatedAt) {
}
