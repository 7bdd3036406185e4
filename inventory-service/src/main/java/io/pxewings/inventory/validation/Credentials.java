package io.pxewings.inventory.validation;

import java.util.regex.Pattern;

/**
 * A reference to BMC credentials (e.g. {@code vault:dc1/bmc/r12}, {@code file:r12}): where
 * bmc-service finds them. Inventory never stores the secret itself, so anything with whitespace
 * (a password pasted by mistake, a "user pass" pair) is refused.
 */
public final class Credentials {

    static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}");

    private Credentials() {
    }

    public static String ref(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        if (!REF.matcher(raw).matches()) {
            throw new InvalidField(field, Fields.quote(raw) + " is not a credentials reference like vault:dc1/bmc/r12 "
                    + "(letters, digits and ._:/@-, at most 200; never the secret itself)");
        }
        return raw;
    }
}
