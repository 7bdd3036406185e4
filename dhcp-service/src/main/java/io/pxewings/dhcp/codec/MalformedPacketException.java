package io.pxewings.dhcp.codec;

/** A datagram the decoder refuses, with the reason it is dropped and counted. */
public final class MalformedPacketException extends Exception {

    private final DropReason reason;

    public MalformedPacketException(DropReason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public DropReason reason() {
        return reason;
    }
}
