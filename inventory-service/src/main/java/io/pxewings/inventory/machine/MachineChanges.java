package io.pxewings.inventory.machine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.pxewings.inventory.validation.Fields;
import io.pxewings.inventory.validation.InvalidField;

/**
 * What an operator asked to change on a machine, checked field by field: from a POST or PUT body
 * (every operator field; a missing one is cleared), a JSON merge patch (RFC 7396: only the fields
 * present; {@code null} clears, {@code labels} merge key by key, {@code nics} is replaced as a
 * whole), or an import row. Hardware fields belong to discovery and are refused here.
 */
public final class MachineChanges {

    /** One NIC as an operator describes it: the rest (name, speed, link) comes from inventory. */
    public record NicChange(String mac, boolean boot, String address) {
    }

    /** A BMC endpoint as given. */
    public record BmcChange(String address, String protocol, String credentialsRef) {
    }

    static final Set<String> OPERATOR_FIELDS = Set.of("site", "hostname", "state", "labels", "bmc", "nics");
    static final Set<String> DISCOVERY_FIELDS = Set.of("id", "systemUuid", "serial", "manufacturer", "product",
            "assetTag", "architecture", "firmware", "cpuModel", "cpuSockets", "cpuCores", "cpuThreads", "memoryBytes",
            "disks", "version", "createdAt", "updatedAt");
    static final int MAX_NICS = 64;

    String site;
    boolean hostnameSet;
    String hostname;
    MachineState state;
    /** Replace all labels with these (PUT, POST, import). */
    Map<String, String> labels;
    /** Merge these into the labels; a null value removes the label (PATCH). */
    Map<String, String> labelPatch;
    boolean bmcSet;
    BmcChange bmc;
    List<NicChange> nics;

    /** A POST or PUT body: a full description of the operator fields. */
    public static MachineChanges fromFull(JsonNode body) {
        requireObject(body);
        checkNames(body);
        MachineChanges c = new MachineChanges();
        c.site = Fields.site("site", requiredText(body, "site"));
        c.hostnameSet = true;
        c.hostname = hostname(body.get("hostname"));
        if (present(body, "state")) {
            c.state = MachineState.parse("state", text(body.get("state"), "state"));
        }
        c.labels = body.has("labels") && !body.get("labels").isNull() ? labels(body.get("labels")) : Map.of();
        c.bmcSet = true;
        c.bmc = bmc(body.get("bmc"), null);
        c.nics = body.has("nics") && !body.get("nics").isNull() ? nics(body.get("nics")) : List.of();
        return c;
    }

    /** A JSON merge patch (RFC 7396). */
    public static MachineChanges fromMergePatch(JsonNode patch, Machine current) {
        requireObject(patch);
        checkNames(patch);
        MachineChanges c = new MachineChanges();
        if (patch.has("site")) {
            c.site = Fields.site("site", requiredText(patch, "site"));
        }
        if (patch.has("hostname")) {
            c.hostnameSet = true;
            c.hostname = hostname(patch.get("hostname"));
        }
        if (patch.has("state")) {
            c.state = MachineState.parse("state", requiredText(patch, "state"));
        }
        if (patch.has("labels")) {
            JsonNode l = patch.get("labels");
            if (l.isNull()) {
                c.labels = Map.of();
            } else if (!l.isObject()) {
                throw new InvalidField("labels", "must be an object of label names to values (null removes one)");
            } else {
                c.labelPatch = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String key = Fields.labelKey("labels." + e.getKey(), e.getKey());
                    c.labelPatch.put(key, e.getValue().isNull() ? null
                            : Fields.labelValue("labels." + key, text(e.getValue(), "labels." + key)));
                }
            }
        }
        if (patch.has("bmc")) {
            c.bmcSet = true;
            c.bmc = bmc(patch.get("bmc"), current);
        }
        if (patch.has("nics")) {
            c.nics = patch.get("nics").isNull() ? List.of() : nics(patch.get("nics"));
        }
        return c;
    }

    /** An import row: the fields it names; labels replace, a NIC is added if missing. */
    public static MachineChanges fromImport(String site, String hostname, Map<String, String> labels, BmcChange bmc) {
        MachineChanges c = new MachineChanges();
        c.site = site;
        if (hostname != null) {
            c.hostnameSet = true;
            c.hostname = hostname;
        }
        if (labels != null && !labels.isEmpty()) {
            c.labels = labels;
        }
        if (bmc != null) {
            c.bmcSet = true;
            c.bmc = bmc;
        }
        return c;
    }

    public String site() {
        return site;
    }

    public MachineState state() {
        return state;
    }

    public List<NicChange> nics() {
        return nics;
    }

    public boolean hostnameSet() {
        return hostnameSet;
    }

    public String hostname() {
        return hostname;
    }

    public boolean bmcSet() {
        return bmcSet;
    }

    public BmcChange bmc() {
        return bmc;
    }

    /**
     * Applies everything but NICs (they need the session) and names the fields that changed.
     * {@code hostname} is listed before {@code nics} so reservations can follow a rename.
     */
    public List<String> applyScalars(Machine m) {
        Set<String> changed = new LinkedHashSet<>();
        if (site != null && !site.equals(m.site)) {
            m.site = site;
            changed.add("site");
        }
        if (hostnameSet && !Objects.equals(hostname, m.hostname)) {
            m.hostname = hostname;
            changed.add("hostname");
        }
        if (state != null && !state.wire().equals(m.state)) {
            m.state = state.wire();
            changed.add("state");
        }
        Map<String, String> newLabels = null;
        if (labels != null) {
            newLabels = new TreeMap<>(labels);
        } else if (labelPatch != null) {
            newLabels = new TreeMap<>(m.labels == null ? Map.of() : m.labels);
            for (Map.Entry<String, String> e : labelPatch.entrySet()) {
                if (e.getValue() == null) {
                    newLabels.remove(e.getKey());
                } else {
                    newLabels.put(e.getKey(), e.getValue());
                }
            }
            Fields.labels("labels", newLabels);
        }
        if (newLabels != null && !newLabels.equals(m.labels)) {
            m.labels = newLabels;
            changed.add("labels");
        }
        if (bmcSet) {
            String address = bmc == null ? null : bmc.address();
            String protocol = bmc == null ? null : bmc.protocol();
            String ref = bmc == null ? null : bmc.credentialsRef();
            if (!Objects.equals(address, m.bmcAddress) || !Objects.equals(protocol, m.bmcProtocol)
                    || !Objects.equals(ref, m.bmcCredentialsRef)) {
                m.bmcAddress = address;
                m.bmcProtocol = protocol;
                m.bmcCredentialsRef = ref;
                changed.add("bmc");
            }
        }
        return new ArrayList<>(changed);
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidField("body", "must be a JSON object");
        }
    }

    private static void checkNames(JsonNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (DISCOVERY_FIELDS.contains(name)) {
                throw new InvalidField(name, "is set by discovery (the agent's inventory), not by the API");
            }
            if (!OPERATOR_FIELDS.contains(name)) {
                throw new InvalidField(name, "is not a machine field; editable are site, hostname, state, labels, bmc, nics");
            }
        }
    }

    private static boolean present(JsonNode body, String name) {
        return body.has(name) && !body.get(name).isNull();
    }

    private static String requiredText(JsonNode body, String name) {
        if (!present(body, name)) {
            throw new InvalidField(name, "is required");
        }
        return text(body.get(name), name);
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw new InvalidField(field, "must be a string");
        }
        return node.asText();
    }

    private static String hostname(JsonNode node) {
        return node == null || node.isNull() ? null : Fields.hostname("hostname", text(node, "hostname"));
    }

    private static Map<String, String> labels(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidField("labels", "must be an object of label names to values");
        }
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), text(e.getValue(), "labels." + e.getKey()));
        }
        return Fields.labels("labels", out);
    }

    /** A BMC object; in a merge patch its members merge into the current endpoint. */
    private static BmcChange bmc(JsonNode node, Machine current) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidField("bmc", "must be an object {address, protocol, credentialsRef} or null");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.equals("password") || name.equals("username") || name.equals("secret")) {
                throw new InvalidField("bmc." + name, "inventory never stores BMC secrets; give credentialsRef, "
                        + "a reference to where bmc-service finds them");
            }
            if (!Set.of("address", "protocol", "credentialsRef").contains(name)) {
                throw new InvalidField("bmc." + name, "is not a BMC field; one of address, protocol, credentialsRef");
            }
        }
        String address = member(node, "address", current == null ? null : current.bmcAddress);
        String protocol = member(node, "protocol", current == null ? null : current.bmcProtocol);
        String ref = member(node, "credentialsRef", current == null ? null : current.bmcCredentialsRef);
        if (address == null) {
            throw new InvalidField("bmc.address", "is required (set bmc to null to remove the endpoint)");
        }
        address = Fields.bmcAddress("bmc.address", address).toString();
        protocol = protocol == null ? "ipmi" : protocol;
        if (!protocol.equals("ipmi") && !protocol.equals("redfish")) {
            throw new InvalidField("bmc.protocol", "'" + protocol + "' is not ipmi or redfish");
        }
        if (ref != null) {
            ref = io.pxewings.inventory.validation.Credentials.ref("bmc.credentialsRef", ref);
        }
        return new BmcChange(address, protocol, ref);
    }

    private static String member(JsonNode node, String name, String fallback) {
        if (!node.has(name)) {
            return fallback;
        }
        JsonNode v = node.get(name);
        return v.isNull() ? null : text(v, "bmc." + name);
    }

    private static List<NicChange> nics(JsonNode node) {
        if (!node.isArray()) {
            throw new InvalidField("nics", "must be an array of {mac, boot, address}");
        }
        if (node.size() > MAX_NICS) {
            throw new InvalidField("nics", "at most " + MAX_NICS + " NICs");
        }
        List<NicChange> out = new ArrayList<>();
        Set<String> macs = new LinkedHashSet<>();
        int boots = 0;
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            String at = "nics[" + i + "]";
            if (!n.isObject()) {
                throw new InvalidField(at, "must be an object {mac, boot, address}");
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!Set.of("mac", "boot", "address", "name", "speedMbps", "link").contains(name)) {
                    throw new InvalidField(at + "." + name, "is not a NIC field; one of mac, boot, address");
                }
            }
            if (!present(n, "mac")) {
                throw new InvalidField(at + ".mac", "is required");
            }
            String mac = Fields.mac(at + ".mac", text(n.get("mac"), at + ".mac"));
            if (!macs.add(mac)) {
                throw new InvalidField(at + ".mac", mac + " is listed twice");
            }
            boolean boot = false;
            if (present(n, "boot")) {
                if (!n.get("boot").isBoolean()) {
                    throw new InvalidField(at + ".boot", "must be true or false");
                }
                boot = n.get("boot").asBoolean();
            }
            boots += boot ? 1 : 0;
            String address = present(n, "address") ? Fields.ipv4(at + ".address", text(n.get("address"), at + ".address")) : null;
            out.add(new NicChange(mac, boot, address));
        }
        if (boots > 1) {
            throw new InvalidField("nics", "at most one NIC is the boot NIC");
        }
        return out;
    }
}
