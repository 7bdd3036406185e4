package io.pxewings.bmc.bmc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A BMC login as the vault hands it out: user, password and (IPMI only) the BMC key K_G. The
 * secrets never appear in {@link #toString()}, and no API answer, fact, log line or metric is
 * built from this object.
 */
public final class BmcCredentials {

    private final String user;
    private final byte[] password;
    private final byte[] kg;

    public BmcCredentials(String user, byte[] password, byte[] kg) {
        this.user = user;
        this.password = password.clone();
        this.kg = kg == null ? null : kg.clone();
    }

    public static BmcCredentials of(String user, String password) {
        return new BmcCredentials(user, password.getBytes(StandardCharsets.UTF_8), null);
    }

    public String user() {
        return user;
    }

    public byte[] password() {
        return password.clone();
    }

    public String passwordText() {
        return new String(password, StandardCharsets.UTF_8);
    }

    /** The BMC key K_G (IPMI), or null. */
    public byte[] kg() {
        return kg == null ? null : kg.clone();
    }

    @Override
    public String toString() {
        return "BmcCredentials[user=" + user + ", password=****]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BmcCredentials c && c.user.equals(user) && Arrays.equals(c.password, password) && Arrays.equals(c.kg, kg);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }
}
