package io.pxewings.inventory.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.pxewings.inventory.imports.ExpectedMachines.ExpectedMachine;
import io.pxewings.inventory.imports.ExpectedMachines.RowError;
import io.pxewings.inventory.validation.Fields;
import io.pxewings.inventory.validation.InvalidField;

/**
 * Checks decoded rows of one import, CSV or JSON alike: every field on its own (so a row with
 * several bad fields gets one error each), then the values that must not repeat within the file.
 */
final class RowChecker {

    /** One row as a decoder found it: trimmed text by column name, null or absent when not given. */
    static final class Row {
        final int line;
        final Map<String, String> text = new HashMap<>();
        /** The name to report for a column when it differs, e.g. bmc_address given as bmc.address in JSON. */
        final Map<String, String> reportAs = new HashMap<>();
        Map<String, String> labels;
        final List<RowError> errors = new ArrayList<>();
        /** Columns the decoder already found wrong: not checked again, which would only add a second error. */
        final Set<String> failed = new HashSet<>();

        Row(int line) {
            this.line = line;
        }

        void error(String column, String field, String message) {
            errors.add(new RowError(line, field, message));
            failed.add(column);
        }

        String name(String column) {
            return reportAs.getOrDefault(column, column);
        }
    }

    /**
     * A reference to where BMC credentials are kept (e.g. {@code vault:dc1/bmc/r12}), never the
     * secret: a reference has a known shape, and anything with spaces is more likely a password.
     */
    private static final Pattern CREDENTIALS_REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}");

    private final String defaultSite;
    private final Map<String, Integer> macs = new HashMap<>();
    private final Map<String, Integer> hostnames = new HashMap<>();
    private final Map<String, Integer> addresses = new HashMap<>();
    final List<ExpectedMachine> machines = new ArrayList<>();
    final List<RowError> errors = new ArrayList<>();

    RowChecker(String defaultSite) {
        this.defaultSite = defaultSite;
    }

    void check(Row row) {
        List<RowError> errs = new ArrayList<>(row.errors);
        Map<String, String> t = row.text;
        String mac = field(errs, row, "mac", () -> Fields.mac(row.name("mac"), t.get("mac")));
        String siteText = t.get("site") != null ? t.get("site") : defaultSite;
        String site = field(errs, row, "site", () -> siteText == null
                ? fail(row.name("site"), "is required: the row has no site and no default site was given")
                : Fields.site(row.name("site"), siteText));
        String hostname = t.get("hostname") == null ? null
                : field(errs, row, "hostname", () -> Fields.hostname(row.name("hostname"), t.get("hostname")));
        Fields.BmcAddress bmc = t.get("bmc_address") == null ? null
                : field(errs, row, "bmc_address", () -> Fields.bmcAddress(row.name("bmc_address"), t.get("bmc_address")));
        String protocol = field(errs, row, "bmc_protocol", () -> protocol(row));
        String credentials = t.get("bmc_credentials") == null ? null
                : field(errs, row, "bmc_credentials", () -> credentials(row));
        Map<String, String> labels = field(errs, row, "labels", () -> Fields.labels(row.name("labels"), row.labels));
        String address = t.get("address") == null ? null
                : field(errs, row, "address", () -> Fields.ipv4(row.name("address"), t.get("address")));

        if (mac != null) {
            unique(errs, row, "mac", macs, mac, "mac " + mac);
        }
        if (site != null && hostname != null) {
            unique(errs, row, "hostname", hostnames, site + " " + hostname, "hostname " + hostname + " (site " + site + ")");
        }
        if (site != null && address != null) {
            unique(errs, row, "address", addresses, site + " " + address, "address " + address + " (site " + site + ")");
        }
        if (errs.isEmpty()) {
            machines.add(new ExpectedMachine(row.line, mac, site, hostname, bmc, protocol, credentials, labels, address));
        } else {
            errors.addAll(errs);
        }
    }

    private static String protocol(Row row) {
        String raw = row.text.get("bmc_protocol");
        if (raw == null) {
            return row.text.get("bmc_address") == null ? null : "ipmi";
        }
        if (row.text.get("bmc_address") == null) {
            return fail(row.name("bmc_protocol"), "is set but " + row.name("bmc_address") + " is not");
        }
        String p = raw.toLowerCase(java.util.Locale.ROOT);
        if (!p.equals("ipmi") && !p.equals("redfish")) {
            return fail(row.name("bmc_protocol"), Fields.quote(raw) + " is not a BMC protocol: expected ipmi or redfish");
        }
        return p;
    }

    private static String credentials(Row row) {
        String raw = row.text.get("bmc_credentials");
        String name = row.name("bmc_credentials");
        if (raw.chars().anyMatch(Character::isWhitespace)) {
            // Not quoted back: a value with spaces may well be the password itself.
            return fail(name, "contains whitespace: it must name where the credentials are kept"
                    + " (like vault:dc1/bmc/r12), never hold the secret itself");
        }
        if (!CREDENTIALS_REF.matcher(raw).matches()) {
            return fail(name, "is not a credentials reference: expected up to 200 characters [A-Za-z0-9._:/@-]"
                    + " starting with a letter or digit, like vault:dc1/bmc/r12");
        }
        if (row.text.get("bmc_address") == null) {
            return fail(name, "is set but " + row.name("bmc_address") + " is not");
        }
        return raw;
    }

    private void unique(List<RowError> errs, Row row, String column, Map<String, Integer> seen, String key, String what) {
        Integer first = seen.putIfAbsent(key, row.line);
        if (first != null) {
            errs.add(new RowError(row.line, row.name(column), what + " already on line " + first));
        }
    }

    /** The value, or null after recording the field's error. */
    private static <T> T field(List<RowError> errs, Row row, String column, Supplier<T> check) {
        if (row.failed.contains(column)) {
            return null;
        }
        try {
            return check.get();
        } catch (InvalidField e) {
            errs.add(new RowError(row.line, e.field() != null ? e.field() : row.name(column), e.getMessage()));
            return null;
        }
    }

    private static <T> T fail(String field, String message) {
        throw new InvalidField(field, message);
    }
}
