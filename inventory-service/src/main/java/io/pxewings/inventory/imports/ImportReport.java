package io.pxewings.inventory.imports;

import java.util.List;

/**
 * What an import did, row by row. A failed row changed nothing; the others are all committed
 * together (or, for a dry run, none is).
 *
 * @param dryRun    true when nothing was written
 * @param created   new machines
 * @param updated   machines that existed (by MAC) and changed
 * @param unchanged machines that existed and already matched their row
 * @param failed    rows refused
 * @param rows      one result per row, in file order
 */
public record ImportReport(boolean dryRun, int created, int updated, int unchanged, int failed, List<RowResult> rows) {

    /**
     * @param line      where the row starts in the CSV (the header is line 1), or its 1-based index in JSON
     * @param mac       the row's MAC, as normalised (null when unreadable)
     * @param result    {@code created}, {@code updated}, {@code unchanged} or {@code failed}
     * @param machineId the machine the row made or changed
     * @param errors    what is wrong with a failed row, one entry per field
     */
    public record RowResult(int line, String mac, String result, String machineId, List<FieldError> errors) {
    }

    /**
     * @param field   the column (or {@code row} for the row as a whole)
     * @param message what is wrong
     */
    public record FieldError(String field, String message) {
    }
}
