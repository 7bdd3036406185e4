package io.pxewings.tftp.codec;

/** TFTP error codes: RFC 1350 appendix ("Error Codes") and RFC 2347 §2 (8). */
public enum ErrorCode {
    NOT_DEFINED(0),
    FILE_NOT_FOUND(1),
    ACCESS_VIOLATION(2),
    DISK_FULL(3),
    ILLEGAL_OPERATION(4),
    UNKNOWN_TID(5),
    FILE_EXISTS(6),
    NO_SUCH_USER(7),
    /** RFC 2347: the request's options were refused. */
    OPTION_REFUSED(8);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** A code a peer sent; unknown values read as NOT_DEFINED (the message still says what it was). */
    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return NOT_DEFINED;
    }
}
