package io.pxewings.dhcp.codec;

/** Why a datagram is not a DHCP message this server can read; each is a metric label. */
public enum DropReason {
    /** Shorter than the 236-byte fixed header plus the 4-byte magic cookie (RFC 2131 §2). */
    TRUNCATED,
    /** Bytes 236-239 are not 99.130.83.99 (RFC 2131 §3). */
    BAD_MAGIC_COOKIE,
    /** hlen is 0 or larger than the 16-byte chaddr field. */
    BAD_HLEN,
    /** An option's length runs past the end of its field. */
    OPTION_OVERRUN,
    /** Option 52 holds a value other than 1, 2 or 3, or the wrong length. */
    BAD_OVERLOAD,
    /** More options than any real client sends: a resource-exhaustion attempt. */
    TOO_MANY_OPTIONS,
    /** No option 53, or one with a value outside 1-8 (RFC 2131 §3: every DHCP message has one). */
    BAD_MESSAGE_TYPE,
    /** op is not BOOTREQUEST (a server never acts on replies). */
    NOT_A_REQUEST
}
