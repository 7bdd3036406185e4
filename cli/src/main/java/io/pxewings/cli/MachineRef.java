package io.pxewings.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** How an operator names a machine: its id, a boot MAC (colons or dashes, any case), or a lab machine ({@code lab-N}). */
public final class MachineRef {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}([:-][0-9a-f]{2}){5}");
    private static final Pattern LAB = Pattern.compile("lab-[0-9]+");

    private MachineRef() {
    }

    /** The machine's id or boot MAC (lower case, colons), as the orchestrator takes either. */
    public static String key(String ref, Path labDir) {
        String r = ref.trim().toLowerCase(Locale.ROOT);
        if (UUID.matcher(r).matches()) {
            return r;
        }
        if (MAC.matcher(r).matches()) {
            return r.replace('-', ':');
        }
        if (LAB.matcher(r).matches() && labDir != null) {
            Path file = labDir.resolve(r).resolve("machine");
            try {
                if (Files.isRegularFile(file)) {
                    return Files.readString(file).trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
                }
            } catch (IOException e) {
                throw new CliException(CliException.REFUSED, "cannot read " + file + ": " + e.getMessage());
            }
            throw new CliException(CliException.REFUSED, "no lab machine " + r + " (is the lab up? ./wings lab status)");
        }
        throw new CliException(CliException.REFUSED, "'" + ref + "' is not a machine id, a MAC or a lab machine (lab-N)");
    }

    /** The machine's inventory id (bmc-service knows machines by id). */
    public static String id(String ref, Path labDir, Api inventory) {
        String key = key(ref, labDir);
        return UUID.matcher(key).matches() ? key : inventory.get("/api/v1/machines/by-mac/" + key).path("id").asText();
    }
}
