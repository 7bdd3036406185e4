package io.pxewings.httpboot.agent;

import java.util.List;
import java.util.regex.Pattern;

import io.pxewings.events.agent.InventoryReported;

/**
 * What an inventory report must look like before it becomes a fact: its MAC is the caller's,
 * every value within sane bounds. A bad field is named; nothing is published.
 */
public final class InventoryCheck {

    static final int MAX_TEXT = 256;
    static final int MAX_ITEMS = 1024;
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    private InventoryCheck() {
    }

    /** @throws IllegalArgumentException naming the first bad field */
    public static void check(InventoryReported r, String caller) {
        if (r == null) {
            throw new IllegalArgumentException("body: an inventory report is required");
        }
        if (r.firmware() != null && !r.firmware().equals("uefi") && !r.firmware().equals("bios")) {
            throw new IllegalArgumentException("firmware: must be uefi or bios");
        }
        text("systemUuid", r.systemUuid());
        text("serial", r.serial());
        text("manufacturer", r.manufacturer());
        text("product", r.product());
        text("assetTag", r.assetTag());
        text("cpuModel", r.cpuModel());
        text("agentVersion", r.agentVersion());
        count("cpuSockets", r.cpuSockets());
        count("cpuCores", r.cpuCores());
        count("cpuThreads", r.cpuThreads());
        if (r.memoryBytes() != null && r.memoryBytes() < 0) {
            throw new IllegalArgumentException("memoryBytes: must not be negative");
        }
        List<InventoryReported.Disk> disks = r.disks() == null ? List.of() : r.disks();
        List<InventoryReported.Nic> nics = r.nics() == null ? List.of() : r.nics();
        if (disks.size() > MAX_ITEMS || nics.size() > MAX_ITEMS) {
            throw new IllegalArgumentException((disks.size() > MAX_ITEMS ? "disks" : "nics") + ": more than " + MAX_ITEMS);
        }
        for (int i = 0; i < disks.size(); i++) {
            InventoryReported.Disk d = disks.get(i);
            String at = "disks[" + i + "].";
            if (d == null || d.name() == null || d.name().isBlank()) {
                throw new IllegalArgumentException(at + "name: required");
            }
            text(at + "name", d.name());
            text(at + "model", d.model());
            text(at + "serial", d.serial());
            text(at + "wwn", d.wwn());
            if (d.sizeBytes() != null && d.sizeBytes() < 0) {
                throw new IllegalArgumentException(at + "sizeBytes: must not be negative");
            }
        }
        for (int i = 0; i < nics.size(); i++) {
            InventoryReported.Nic n = nics.get(i);
            String at = "nics[" + i + "].";
            if (n == null || n.mac() == null || !MAC.matcher(n.mac()).matches()) {
                throw new IllegalArgumentException(at + "mac: a lower-case colon MAC is required");
            }
            text(at + "name", n.name());
            if (n.speedMbps() != null && n.speedMbps() < 0) {
                throw new IllegalArgumentException(at + "speedMbps: must not be negative");
            }
        }
    }

    private static void text(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + ": longer than " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(field + ": contains a control character");
            }
        }
    }

    private static void count(String field, Integer value) {
        if (value != null && (value < 0 || value > 1_000_000)) {
            throw new IllegalArgumentException(field + ": out of range");
        }
    }
}
