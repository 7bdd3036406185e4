package io.pxewings.bmc.bmc;

import java.util.Optional;

/**
 * Power actions, named as on the command topic and the API. {@link #expected()} is the state a
 * successful action ends in, which bmc-service reads back before it reports success.
 */
public enum PowerAction {
    ON("on", PowerState.ON), OFF("off", PowerState.OFF), CYCLE("cycle", PowerState.ON),
    HARD_RESET("hard-reset", PowerState.ON), SOFT_OFF("soft-off", PowerState.OFF);

    private final String wire;
    private final PowerState expected;

    PowerAction(String wire, PowerState expected) {
        this.wire = wire;
        this.expected = expected;
    }

    public String wire() {
        return wire;
    }

    public PowerState expected() {
        return expected;
    }

    public static Optional<PowerAction> of(String wire) {
        for (PowerAction a : values()) {
            if (a.wire.equals(wire)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
