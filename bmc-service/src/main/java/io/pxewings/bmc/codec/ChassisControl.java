package io.pxewings.bmc.codec;

/** Chassis Control actions (IPMI v2.0 §28.3, Table 28-4). */
public enum ChassisControl {
    POWER_OFF(0x00), POWER_ON(0x01), POWER_CYCLE(0x02), HARD_RESET(0x03), DIAGNOSTIC_INTERRUPT(0x04), SOFT_OFF(0x05);

    private final int code;

    ChassisControl(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
