package io.pxewings.inventory.imports;

import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pxewings.inventory.validation.Fields;
import io.pxewings.inventory.validation.InvalidField;

/**
 * A bulk import of machines expected to boot: CSV with a header row (RFC 4180) or JSON rows
 * already decoded to maps. Bad rows are reported one error per field and line, so a whole file
 * can be fixed in one go; only a file that cannot be read as rows at all throws.
 */
public final class ExpectedMachines {

    /** The columns, in the order errors about one row are reported. */
    static final List<String> COLUMNS = List.of(
            "mac", "site", "hostname", "bmc_address", "bmc_protocol", "bmc_credentials", "labels", "address");
    private static final Set<String> BMC_FIELDS = Set.of("address", "protocol", "credentials");

    /** One valid row. line: where it starts in the CSV (header is line 1), or its 1-based index in JSON. */
    public record ExpectedMachine(int line, String mac, String site, String hostname, Fields.BmcAddress bmcAddress,
            String bmcProtocol, String bmcCredentials, Map<String, String> labels, String address) {
    }

    /** What is wrong with one field of one row. */
    public record RowError(int line, String field, String message) {
    }

    /** The valid rows and the errors, both in file order. */
    public record Parsed(List<ExpectedMachine> rows, List<RowError> errors) {
        public Parsed {
            rows = List.copyOf(rows);
            errors = List.copyOf(errors);
        }
    }

    private ExpectedMachines() {
    }

    /**
     * Parses CSV. Column names are case-insensitive and in any order; cells are trimmed, and an
     * empty cell counts as not given.
     *
     * @param defaultSite the site of rows that name none; null when every row must name its site
     * @throws InvalidField with field {@code file} when the file has no usable header, an unknown,
     *         repeated or missing required column, an unclosed quote, or more than maxRows rows
     */
    public static Parsed csv(Reader in, String defaultSite, int maxRows) {
        String site = defaultSite(defaultSite, maxRows);
        CsvReader reader = new CsvReader(in);
        CsvReader.Record header = reader.next();
        if (header == null) {
            throw new InvalidField("file", "is empty: expected a header row naming the columns, such as mac,site,hostname");
        }
        List<String> columns = header(header, site);
        RowChecker checker = new RowChecker(site);
        int count = 0;
        for (CsvReader.Record r = reader.next(); r != null; r = reader.next()) {
            if (++count > maxRows) {
                throw tooMany(maxRows);
            }
            if (r.fields().size() != columns.size()) {
                checker.errors.add(new RowError(r.line(), "row", "has " + r.fields().size() + " fields but the header has "
                        + columns.size()));
                continue;
            }
            RowChecker.Row row = new RowChecker.Row(r.line());
            if (r.malformed() != null) {
                row.errors.add(new RowError(r.line(), "row", r.malformed()));
            }
            for (int i = 0; i < columns.size(); i++) {
                String v = r.fields().get(i).strip();
                if (!v.isEmpty()) {
                    row.text.put(columns.get(i), v);
                }
            }
            String labels = row.text.remove("labels");
            if (labels != null) {
                row.labels = labelsText(row, labels);
            }
            checker.check(row);
        }
        return new Parsed(checker.machines, checker.errors);
    }

    private static List<String> header(CsvReader.Record header, String defaultSite) {
        List<String> columns = new ArrayList<>();
        for (String raw : header.fields()) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name)) {
                throw new InvalidField("file", "has an unknown column " + Fields.quote(raw) + " in its header (line "
                        + header.line() + "); the columns are " + String.join(", ", COLUMNS));
            }
            if (columns.contains(name)) {
                throw new InvalidField("file", "names the column " + name + " twice in its header (line " + header.line() + ")");
            }
            columns.add(name);
        }
        if (!columns.contains("mac")) {
            throw new InvalidField("file", "has no mac column in its header (line " + header.line() + "); it is required");
        }
        if (!columns.contains("site") && defaultSite == null) {
            throw new InvalidField("file", "has no site column and no default site was given");
        }
        return columns;
    }

    /** {@code rack=r12;role=compute}: pairs separated by ';', a value may be empty, a final ';' is allowed. */
    private static Map<String, String> labelsText(RowChecker.Row row, String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String item : text.split(";")) {
            String pair = item.strip();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq).strip();
            if (eq < 0 || labels.containsKey(key)) {
                row.error("labels", "labels", Fields.quote(pair) + (eq < 0
                        ? " is not key=value; labels are written like rack=r12;role=compute"
                        : " repeats the label " + key));
                return null;
            }
            labels.put(key, pair.substring(eq + 1).strip());
        }
        return labels;
    }

    /**
     * Parses decoded JSON rows: objects with the CSV column names (case-insensitive), where
     * {@code labels} is an object of strings (or the CSV text form) and the BMC may instead be
     * given as {@code "bmc": {"address": .., "protocol": .., "credentials": ..}}.
     *
     * @throws InvalidField with field {@code file} when rows is null or longer than maxRows
     */
    public static Parsed rows(List<Map<String, Object>> rows, String defaultSite, int maxRows) {
        String site = defaultSite(defaultSite, maxRows);
        if (rows == null) {
            throw new InvalidField("file", "is missing: expected an array of objects");
        }
        if (rows.size() > maxRows) {
            throw tooMany(maxRows);
        }
        RowChecker checker = new RowChecker(site);
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> json = rows.get(i);
            if (json == null) {
                checker.errors.add(new RowError(i + 1, "row", "is null: expected an object"));
                continue;
            }
            checker.check(jsonRow(i + 1, json));
        }
        return new Parsed(checker.machines, checker.errors);
    }

    private static RowChecker.Row jsonRow(int line, Map<String, Object> json) {
        RowChecker.Row row = new RowChecker.Row(line);
        Map<String, Object> byName = new LinkedHashMap<>(); // keeps errors in the order the caller wrote the fields
        for (Map.Entry<String, Object> e : json.entrySet()) {
            String name = String.valueOf(e.getKey()).toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name) && !name.equals("bmc")) {
                row.errors.add(new RowError(line, String.valueOf(e.getKey()), "is not a known field; the fields are "
                        + String.join(", ", COLUMNS) + " and bmc"));
            } else if (byName.containsKey(name)) {
                row.error(name, name, "is given twice (names are case-insensitive)");
            } else if (e.getValue() != null) {
                byName.put(name, e.getValue());
            }
        }
        for (Map.Entry<String, Object> e : byName.entrySet()) {
            String name = e.getKey();
            Object v = e.getValue();
            if (name.equals("labels")) {
                row.labels = v instanceof String s ? labelsText(row, s) : labelsObject(row, v);
            } else if (name.equals("bmc")) {
                bmcObject(row, v, byName);
            } else {
                text(row, name, name, v);
            }
        }
        return row;
    }

    private static Map<String, String> labelsObject(RowChecker.Row row, Object v) {
        if (!(v instanceof Map<?, ?> map)) {
            row.error("labels", "labels", "must be an object of strings, like {\"rack\":\"r12\"}");
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof String s)) {
                row.error("labels", "labels." + key, "must be a string");
                return null;
            }
            labels.put(key, s);
        }
        return labels;
    }

    private static void bmcObject(RowChecker.Row row, Object v, Map<String, Object> byName) {
        if (byName.containsKey("bmc_address") || byName.containsKey("bmc_protocol") || byName.containsKey("bmc_credentials")) {
            row.error("bmc", "bmc", "is given together with bmc_address, bmc_protocol or bmc_credentials; give one form only");
            row.failed.addAll(List.of("bmc_address", "bmc_protocol", "bmc_credentials"));
            return;
        }
        if (!(v instanceof Map<?, ?> map)) {
            row.error("bmc", "bmc", "must be an object like {\"address\":\"192.0.2.20\",\"protocol\":\"redfish\"}");
            return;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey()).toLowerCase(Locale.ROOT);
            if (!BMC_FIELDS.contains(key)) {
                row.errors.add(new RowError(row.line, "bmc." + e.getKey(), "is not a known field; the fields are address,"
                        + " protocol and credentials"));
            } else if (e.getValue() != null) {
                text(row, "bmc_" + key, "bmc." + key, e.getValue());
            }
        }
        for (String key : BMC_FIELDS) {
            row.reportAs.put("bmc_" + key, "bmc." + key);
        }
    }

    private static void text(RowChecker.Row row, String column, String reportAs, Object v) {
        if (!(v instanceof String s)) {
            row.error(column, reportAs, "must be a string");
            return;
        }
        String t = s.strip();
        if (!t.isEmpty()) {
            row.text.put(column, t);
            row.reportAs.put(column, reportAs);
        }
    }

    private static String defaultSite(String defaultSite, int maxRows) {
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows " + maxRows + " < 0");
        }
        return defaultSite == null || defaultSite.isEmpty() ? null : Fields.site("site", defaultSite);
    }

    private static InvalidField tooMany(int maxRows) {
        return new InvalidField("file", "has more than " + maxRows + " rows; split it into several imports");
    }
}
