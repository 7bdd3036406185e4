package io.pxewings.tftp.codec;

/** A datagram that is not a TFTP packet; carries the reason for the drop metric. */
public final class MalformedTftpException extends Exception {

    private final DropReason reason;

    public MalformedTftpException(DropReason reason, String message) {
        super(message, null, false, false);   // no stack trace: these are counted, not debugged
        this.reason = reason;
    }

    public DropReason reason() {
        return reason;
    }
}
