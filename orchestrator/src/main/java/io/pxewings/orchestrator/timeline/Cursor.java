package io.pxewings.orchestrator.timeline;

/**
 * A reader's place in the event log: the last row it was given, as (transaction, seq). Rows are read
 * in that order, only from finished transactions, so no row can appear behind a cursor later.
 */
public record Cursor(String tx, long seq) {

    /** Before every row. */
    public static final Cursor START = new Cursor("0", 0);
}
