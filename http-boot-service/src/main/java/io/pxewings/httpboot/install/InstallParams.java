package io.pxewings.httpboot.install;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.boot.BootIntent;

/**
 * The values an installer template may use, from the machine's intent ({@code params}, set by the
 * orchestrator from inventory) and its last agent inventory (disks). Only values that are present
 * and valid are in the map: a template that uses a missing one fails to render (Qute's strict
 * rendering), and the request is a 422 naming it, never an installer with a blank value. Values
 * are checked against the syntax their place in a kickstart, preseed or YAML file needs.
 */
public final class InstallParams {

    /** A parameter the intent carries that is not valid where templates put it: a 422 naming it. */
    public static final class Invalid extends io.pxewings.httpboot.InvalidField {
        Invalid(String param, String message) {
            super(param, message);
        }
    }

    private static final Pattern HOSTNAME = Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
    private static final Pattern CIDR = Pattern.compile(IPV4.pattern() + "/([0-9]|[12][0-9]|3[0-2])");
    private static final Pattern SSH_KEY = Pattern.compile("(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+) [A-Za-z0-9+/=]+( [^\"\\\\\\p{Cntrl}]{0,200})?");
    private static final Pattern DISK = Pattern.compile("[a-z][a-z0-9]{1,31}");
    private static final Pattern CRYPT = Pattern.compile("\\$[0-9a-z]{1,3}\\$[A-Za-z0-9./$=]{8,200}");
    /** Any other parameter: one line of safe text (no quotes, backslashes or control characters). */
    private static final Pattern TEXT = Pattern.compile("[^\"'\\\\\\p{Cntrl}]{1,256}");

    private InstallParams() {
    }

    /**
     * @param site   the site this instance serves
     * @param intent the machine's intent (its {@code params})
     * @param report the machine's last inventory, or null
     * @throws Invalid for a parameter that is present but not valid
     */
    public static Map<String, Object> of(String site, String mac, BootIntent intent, InventoryReported report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mac", mac);
        m.put("site", site);
        if (intent != null && intent.machineId() != null && TEXT.matcher(intent.machineId()).matches()) {
            m.put("machineId", intent.machineId());
        }
        Map<String, String> p = intent == null || intent.params() == null ? Map.of() : intent.params();
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : p.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (value == null || value.isBlank()) {
                continue;   // blank is missing: a template that needs it gets its 422
            }
            switch (key) {
                case "hostname" -> m.put("hostname", check(key, value, HOSTNAME, "not a host name (RFC 1123, lower case)"));
                case "address" -> m.put("address", check(key, value, CIDR, "not an IPv4 address with prefix, like 10.77.0.23/24"));
                case "gateway" -> m.put("gateway", check(key, value, IPV4, "not an IPv4 address"));
                case "dns" -> m.put("dns", list(key, value, IPV4, "not a list of IPv4 addresses"));
                case "ssh-keys" -> m.put("sshKeys", list(key, value, SSH_KEY, "one OpenSSH public key per line"));
                case "root-disk" -> m.put("rootDisk", check(key, value, DISK, "not a kernel disk name like sda or nvme0n1"));
                case "root-password-hash" -> m.put("rootPasswordHash", check(key, value, CRYPT, "not a crypt(3) hash like $6$salt$hash"));
                default -> {
                    if (key.startsWith("label.")) {
                        labels.put(key.substring(6), check(key, value, TEXT, "quotes, backslashes and control characters are not allowed"));
                    } else {
                        m.put(camel(key), check(key, value, TEXT, "quotes, backslashes and control characters are not allowed"));
                    }
                }
            }
        }
        if (!labels.isEmpty()) {
            m.put("labels", labels);
        }
        if (m.containsKey("address")) {
            String cidr = (String) m.get("address");
            m.put("ip", cidr.substring(0, cidr.indexOf('/')));
            int prefix = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
            long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
            m.put("prefix", prefix);
            m.put("netmask", (mask >> 24) + "." + (mask >> 16 & 255) + "." + (mask >> 8 & 255) + "." + (mask & 255));
        }
        if (report != null && report.disks() != null && !report.disks().isEmpty()) {
            List<InventoryReported.Disk> disks = new ArrayList<>(report.disks());
            m.put("disks", disks);
            if (!m.containsKey("rootDisk")) {
                // No choice in the intent: the smallest disk, solid-state first, is the usual OS disk.
                disks.stream().filter(d -> d.name() != null && DISK.matcher(d.name()).matches())
                        .min(Comparator.comparing((InventoryReported.Disk d) -> Boolean.TRUE.equals(d.rotational()))
                                .thenComparing(d -> d.sizeBytes() == null ? Long.MAX_VALUE : d.sizeBytes()))
                        .ifPresent(d -> m.put("rootDisk", d.name()));
            }
        }
        return m;
    }

    private static String check(String key, String value, Pattern p, String problem) {
        if (!p.matcher(value).matches()) {
            throw new Invalid(key, problem);
        }
        return value;
    }

    private static List<String> list(String key, String value, Pattern p, String problem) {
        List<String> out = new ArrayList<>();
        for (String item : value.split("[\\n,]")) {
            String v = item.strip();
            if (!v.isEmpty()) {
                out.add(check(key, v, p, problem));
            }
        }
        return out;
    }

    private static String camel(String key) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '-' || c == '_' || c == '.') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }
}
