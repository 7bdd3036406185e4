package io.pxewings.bmc.codec;

/** What a BMC's completion code means (IPMI v2.0 §5.2, Table 5-2), for errors an operator reads. */
public final class CompletionCode {

    public static final int OK = 0x00;

    private CompletionCode() {
    }

    public static String meaning(int code) {
        return switch (code) {
            case 0x00 -> "command completed normally";
            case 0xc0 -> "node busy";
            case 0xc1 -> "invalid command";
            case 0xc2 -> "command invalid for given LUN";
            case 0xc3 -> "timeout while processing command";
            case 0xc4 -> "out of space";
            case 0xc5 -> "reservation canceled or invalid reservation ID";
            case 0xc6 -> "request data truncated";
            case 0xc7 -> "request data length invalid";
            case 0xc8 -> "request data field length limit exceeded";
            case 0xc9 -> "parameter out of range";
            case 0xca -> "cannot return number of requested data bytes";
            case 0xcb -> "requested sensor, data, or record not present";
            case 0xcc -> "invalid data field in request";
            case 0xcd -> "command illegal for specified sensor or record type";
            case 0xce -> "command response could not be provided";
            case 0xcf -> "cannot execute duplicated request";
            case 0xd0 -> "SDR repository in update mode";
            case 0xd1 -> "device in firmware update mode";
            case 0xd2 -> "BMC initialization or initialization agent in progress";
            case 0xd3 -> "destination unavailable";
            case 0xd4 -> "insufficient privilege level";
            case 0xd5 -> "command or parameter not supported in present state";
            case 0xd6 -> "command sub-function disabled or unavailable";
            case 0xff -> "unspecified error";
            default -> code >= 0x01 && code <= 0x7e ? "device-specific (OEM) completion code" : "unknown completion code";
        };
    }

    /** "0xCC (invalid data field in request)". */
    public static String describe(int code) {
        return String.format("0x%02X (%s)", code, meaning(code));
    }

    /** Worth a retry: the BMC is busy or starting, not refusing. */
    public static boolean isTransient(int code) {
        return code == 0xc0 || code == 0xc3 || code == 0xd2 || code == 0xce;
    }
}
