package io.pxewings.orchestrator.runs;

/** A request the orchestrator refuses, with the HTTP status that says why; nothing was changed. */
public final class RunRefused extends RuntimeException {

    private final int status;

    public RunRefused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
