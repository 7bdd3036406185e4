package io.pxewings.orchestrator.workflow;

/**
 * What a stage uses of its site that is capped: against boot storms (metal3 had to add a
 * provisioning limit after them) and against overloading a site's image cache and BMC network.
 */
public enum Gate {

    /** A power-on: a token of the site's bucket (power-ons per minute, with a burst). */
    POWER_ON_RATE("power-ons"),
    /** An image download in flight from the site's cache. */
    IMAGE_STREAMS("image streams"),
    /** A BMC command in flight at the site. */
    BMC_OPERATIONS("BMC operations");

    private final String what;

    Gate(String what) {
        this.what = what;
    }

    public String what() {
        return what;
    }
}
