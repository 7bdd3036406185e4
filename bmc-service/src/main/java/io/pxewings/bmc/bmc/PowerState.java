package io.pxewings.bmc.bmc;

/** A machine's power as its BMC reports it. */
public enum PowerState {
    ON, OFF;

    public String wire() {
        return name().toLowerCase();
    }
}
