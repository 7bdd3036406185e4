package io.pxewings.bmc.bmc;

/**
 * A BMC's identity and health: firmware, and for IPMI the System Event Log's fill (a full SEL
 * is a classic cause of BMCs misbehaving); for Redfish the service's own status.
 *
 * @param protocol     ipmi or redfish
 * @param manufacturer as the BMC names it (IPMI: the IANA number)
 * @param model        product (IPMI: product id)
 * @param firmware     firmware version
 * @param detail       protocol details: cipher suite, SEL entries and free bytes, Redfish version
 * @param healthy      false when the BMC reports trouble (SEL overflow, Status.Health not OK)
 */
public record BmcHealth(String protocol, String manufacturer, String model, String firmware, String detail, boolean healthy) {
}
