package io.pxewings.bmc.codec;

/** RMCP+ and RAKP message status codes (IPMI v2.0 §13.24, Table 13-15). */
public final class RmcpPlusStatus {

    private RmcpPlusStatus() {
    }

    public static String meaning(int code) {
        return switch (code) {
            case 0x00 -> "no errors";
            case 0x01 -> "insufficient resources to create a session";
            case 0x02 -> "invalid session ID";
            case 0x03 -> "invalid payload type";
            case 0x04 -> "invalid authentication algorithm";
            case 0x05 -> "invalid integrity algorithm";
            case 0x06 -> "no matching authentication payload";
            case 0x07 -> "no matching integrity payload";
            case 0x08 -> "inactive session ID";
            case 0x09 -> "invalid role";
            case 0x0a -> "unauthorized role or privilege level requested";
            case 0x0b -> "insufficient resources to create a session at the requested role";
            case 0x0c -> "invalid name length";
            case 0x0d -> "unauthorized name";
            case 0x0e -> "unauthorized GUID";
            case 0x0f -> "invalid integrity check value";
            case 0x10 -> "invalid confidentiality algorithm";
            case 0x11 -> "no cipher suite match with proposed security algorithms";
            case 0x12 -> "illegal or unrecognized parameter";
            default -> "unknown status";
        };
    }

    public static String describe(int code) {
        return String.format("0x%02X (%s)", code, meaning(code));
    }
}
