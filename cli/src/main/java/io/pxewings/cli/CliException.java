package io.pxewings.cli;

/** What stops a command, with the exit code that says which kind: 1 refused or failed, 3 a service out of reach. */
public class CliException extends RuntimeException {

    public static final int REFUSED = 1;
    public static final int UNREACHABLE = 3;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
