package io.pxewings.inventory.discovery;

import java.util.Locale;
import java.util.Set;

import io.pxewings.inventory.validation.Fields;

/**
 * Which SMBIOS values can identify a machine. Firmware often ships placeholders ("To Be Filled By
 * O.E.M.", an all-zero UUID); merging machines on those would fold a whole rack into one record.
 */
final class Identities {

    static final Set<String> PLACEHOLDER_SERIALS = Set.of("", "to be filled by o.e.m.", "default string",
            "system serial number", "not specified", "not applicable", "none", "n/a", "0", "0123456789",
            "chassis serial number", "serial number", "123456789");

    private Identities() {
    }

    /** A UUID that names one machine, or null. */
    static String uuid(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String u = Fields.uuidOrNull("systemUuid", raw);
        return u == null || Fields.isPlaceholderUuid(u) ? null : u;
    }

    /** A serial number that names one machine (of its manufacturer), or null. */
    static String serial(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim();
        return PLACEHOLDER_SERIALS.contains(s.toLowerCase(Locale.ROOT)) ? null : s;
    }
}
