package io.pxewings.bmc.ipmi;

/**
 * An IPMI operation that did not succeed, with a fixed {@link #reason()} for metrics and facts
 * ({@code timeout}, {@code completion-code}, {@code auth-failed}, {@code no-cipher-suite}...) and
 * a message an operator can act on. Never carries a credential.
 */
public final class IpmiException extends RuntimeException {

    private final String reason;
    private final int completionCode;

    public IpmiException(String reason, String message) {
        this(reason, message, -1);
    }

    public IpmiException(String reason, String message, int completionCode) {
        super(message, null, false, false);
        this.reason = reason;
        this.completionCode = completionCode;
    }

    public String reason() {
        return reason;
    }

    /** The BMC's completion code, or -1 when it did not answer with one. */
    public int completionCode() {
        return completionCode;
    }

    /** True when the BMC did not answer at all (as opposed to refusing). */
    public boolean unreachable() {
        return reason.equals("timeout");
    }
}
