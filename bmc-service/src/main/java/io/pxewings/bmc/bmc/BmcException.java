package io.pxewings.bmc.bmc;

/**
 * A BMC operation that failed, with a fixed {@link #reason()} for facts and metrics
 * ({@code unreachable}, {@code auth-failed}, {@code refused}, {@code unsupported},
 * {@code not-confirmed}...) and a message an operator can act on. Never carries a credential.
 */
public class BmcException extends RuntimeException {

    private final String reason;

    public BmcException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** The BMC did not answer at all: what the circuit breaker counts. */
    public boolean unreachable() {
        return reason.equals("unreachable");
    }
}
