package io.pxewings.bmc.ipmi;

import java.util.Arrays;

/**
 * What a session logs in with. The password (K_uid, at most 20 bytes: IPMI v2.0 §13.31) and the
 * optional BMC key (K_G) never appear in {@link #toString()}.
 */
public final class IpmiCredentials {

    private final String user;
    private final byte[] password;
    private final byte[] kg;

    public IpmiCredentials(String user, byte[] password, byte[] kg) {
        if (user.length() > 16) {
            throw new IllegalArgumentException("IPMI user names are at most 16 characters");
        }
        if (password.length > 20 || (kg != null && kg.length > 20)) {
            throw new IllegalArgumentException("IPMI v2.0 passwords and BMC keys are at most 20 bytes");
        }
        this.user = user;
        this.password = password.clone();
        this.kg = kg == null ? null : kg.clone();
    }

    public String user() {
        return user;
    }

    byte[] password() {
        return password.clone();
    }

    byte[] kg() {
        return kg == null ? null : kg.clone();
    }

    @Override
    public String toString() {
        return "IpmiCredentials[user=" + user + ", password=****]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpmiCredentials c && c.user.equals(user) && Arrays.equals(c.password, password) && Arrays.equals(c.kg, kg);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }
}
