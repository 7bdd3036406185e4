package io.pxewings.orchestrator.workflow;

/**
 * Where a run is, as far as the workflow's decisions go.
 *
 * @param stage        the stage
 * @param stageTry     1 for the stage's first try
 * @param attempt      1 for the run's first try from its first stage
 * @param waitingFor   the ids the stage waits for (BMC commands, an agent task), space-separated; the last one completes it
 * @param bootId       the RAM-OS boot the run works in, once its agent reported
 * @param fallbackUsed whether the first-boot fallback (a power cycle to disk) was sent
 */
public record Position(String stage, int stageTry, int attempt, String waitingFor, String bootId, boolean fallbackUsed) {

    /** Whether {@code id} is one of the ids the stage waits for. */
    public boolean waitsFor(String id) {
        if (waitingFor == null || id == null) {
            return false;
        }
        for (String w : waitingFor.split(" ")) {
            if (w.equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code id} is the id that completes the stage. */
    public boolean completedBy(String id) {
        return waitingFor != null && id != null && waitingFor.endsWith(id) && waitsFor(id);
    }
}
