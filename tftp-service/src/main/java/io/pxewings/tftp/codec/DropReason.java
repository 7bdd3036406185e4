package io.pxewings.tftp.codec;

/** Why a datagram was not accepted as a TFTP packet: the label of the drop metric. */
public enum DropReason {
    TRUNCATED,
    UNKNOWN_OPCODE,
    /** A request without the NUL after its filename, mode, or an option. */
    MISSING_NUL,
    /** A filename, mode or option that is empty or holds a control character. */
    BAD_STRING,
    /** An option name that appears twice (RFC 2347 leaves it undefined: refused). */
    DUPLICATE_OPTION,
    /** A request larger than RFC 2347 §2 allows (512 octets). */
    OVERSIZED_REQUEST,
    /** An ACK or ERROR with bytes after it, or an odd OACK. */
    TRAILING_BYTES
}
