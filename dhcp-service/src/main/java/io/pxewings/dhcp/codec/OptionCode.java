package io.pxewings.dhcp.codec;

/**
 * DHCP option codes this server reads or writes (RFC 2132 unless noted). Options are kept as raw
 * bytes by code in {@link DhcpOptions}; these names are for readability and logging.
 */
public final class OptionCode {

    /** RFC 2132 §3.1: one byte of padding, no length. */
    public static final int PAD = 0;
    public static final int SUBNET_MASK = 1;
    public static final int ROUTER = 3;
    public static final int DOMAIN_NAME_SERVER = 6;
    public static final int HOST_NAME = 12;
    public static final int DOMAIN_NAME = 15;
    public static final int BROADCAST_ADDRESS = 28;
    /** RFC 2132 §8.4; PXE uses it for its boot-server sub-options (PXE spec 2.1 §2.2.5). */
    public static final int VENDOR_SPECIFIC = 43;
    public static final int REQUESTED_IP = 50;
    public static final int LEASE_TIME = 51;
    /** RFC 2132 §9.3: 1 = options continue in 'file', 2 = in 'sname', 3 = both. */
    public static final int OVERLOAD = 52;
    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_IDENTIFIER = 54;
    public static final int PARAMETER_REQUEST_LIST = 55;
    public static final int MESSAGE = 56;
    public static final int MAX_MESSAGE_SIZE = 57;
    public static final int RENEWAL_TIME = 58;
    public static final int REBINDING_TIME = 59;
    public static final int VENDOR_CLASS_ID = 60;
    public static final int CLIENT_ID = 61;
    public static final int TFTP_SERVER_NAME = 66;
    public static final int BOOTFILE_NAME = 67;
    /** RFC 3004. */
    public static final int USER_CLASS = 77;
    /** RFC 4702. */
    public static final int CLIENT_FQDN = 81;
    /** RFC 3046. */
    public static final int RELAY_AGENT_INFORMATION = 82;
    /** RFC 4578 §2.1. */
    public static final int CLIENT_ARCHITECTURE = 93;
    /** RFC 4578 §2.2. */
    public static final int CLIENT_NDI = 94;
    /** RFC 4578 §2.3. */
    public static final int CLIENT_MACHINE_ID = 97;
    /** RFC 3679 (ONIE reads it as its installer URL). */
    public static final int DEFAULT_URL = 114;
    /** RFC 3925 §3. */
    public static final int VENDOR_IDENTIFYING_CLASS = 124;
    /** RFC 3925 §4. */
    public static final int VENDOR_IDENTIFYING_SPECIFIC = 125;
    /** iPXE's encapsulated options (https://ipxe.org/howto/dhcpd). */
    public static final int IPXE_ENCAPSULATED = 175;
    /** RFC 2132 §3.2: end of options, no length. */
    public static final int END = 255;

    /** iPXE sub-option 176 (inside 175): 1 = do not wait for ProxyDHCP offers. */
    public static final int IPXE_NO_PXEDHCP = 176;

    private OptionCode() {
    }
}
