package io.pxewings.bmc.codec;

/**
 * A datagram or payload that is not what the protocol allows: too short, a bad checksum, a bad
 * authentication code, algorithms other than those asked. The client drops it and counts it by
 * {@link #reason()}; it never escapes a receive loop as anything else.
 */
public final class MalformedIpmiException extends Exception {

    private final String reason;

    public MalformedIpmiException(String reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /** A short, fixed tag for metrics: {@code truncated}, {@code bad-checksum}, {@code bad-auth-code}... */
    public String reason() {
        return reason;
    }
}
