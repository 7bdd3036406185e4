package io.pxewings.bmc.redfish;

import java.util.Locale;

/**
 * What some Redfish BMCs need that the standard does not say, from the anchors' trackers (Ironic's
 * sushy, bmclib, Ansible's redfish modules, gofish) and ../shared/notes/bmc.md. Chosen from the
 * system's {@code Manufacturer} (and {@code Model}); behaviour every vendor gets (If-Match on every
 * PATCH, the 412 ETag retries, a Mode PATCH refused then sent without Mode, ResetType chosen from
 * the allowable values, transient 409/503 retried, one reused session) is in RedfishBmc and
 * RedfishHttp, not here.
 *
 * @param alwaysSendMode        send BootSourceOverrideMode with every override, or it reverts
 *                              (Supermicro, AMI, ASRock Rack)
 * @param neverSendMode         never send BootSourceOverrideMode: a PATCH that names it is
 *                              refused (some HPE iLO); learned at run time too
 * @param noContinuous          "Continuous" is refused or ignored: set "Once" (Supermicro)
 * @param strongEtagFirst       send the ETag without its W/ prefix first (Lenovo XCC answers 412
 *                              to the weak form)
 * @param mediaIdContains       a virtual media device named like this is the CD when none says CD
 *                              in MediaTypes (Supermicro's "UsbCd")
 */
public record RedfishQuirks(String vendor, boolean alwaysSendMode, boolean neverSendMode, boolean noContinuous,
                            boolean strongEtagFirst, String mediaIdContains) {

    public static final RedfishQuirks NONE = new RedfishQuirks("generic", false, false, false, false, "Cd");

    /** The quirks of the system named so; unknown vendors get none. */
    public static RedfishQuirks of(String manufacturer, String model) {
        String m = manufacturer == null ? "" : manufacturer.toLowerCase(Locale.ROOT);
        if (m.contains("supermicro")) {
            return new RedfishQuirks("supermicro", true, false, true, false, "UsbCd");
        }
        if (m.contains("ami") || m.contains("asrock")) {
            return new RedfishQuirks("ami", true, false, false, false, "Cd");
        }
        if (m.equals("hpe") || m.startsWith("hp")) {
            return new RedfishQuirks("hpe", false, true, false, false, "CD");
        }
        if (m.contains("lenovo")) {
            return new RedfishQuirks("lenovo", false, false, false, true, "CD");
        }
        if (m.contains("dell")) {
            return new RedfishQuirks("dell", false, false, false, false, "CD");
        }
        return NONE;
    }

    /** The same quirks, having learned at run time that Mode must not be sent. */
    public RedfishQuirks withoutMode() {
        return new RedfishQuirks(vendor, false, true, noContinuous, strongEtagFirst, mediaIdContains);
    }

    /** The same quirks, having learned that Continuous is refused. */
    public RedfishQuirks onceOnly() {
        return new RedfishQuirks(vendor, alwaysSendMode, neverSendMode, true, strongEtagFirst, mediaIdContains);
    }
}
