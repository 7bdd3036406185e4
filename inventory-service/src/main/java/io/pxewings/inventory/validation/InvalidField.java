package io.pxewings.inventory.validation;

/**
 * A value the caller sent is not acceptable: carries the name of the field so that the HTTP layer
 * can answer 400 with a problem that points at it.
 */
public class InvalidField extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidField(String field, String message) {
        // No stack trace: this is an answer to bad input, thrown once per bad value of a bulk
        // import, never a bug to debug, so filling in the stack would be wasted work.
        super(message, null, false, false);
        this.field = field;
    }

    /** The name of the offending field as the caller knows it, e.g. {@code mac} or {@code labels.rack}. */
    public String field() {
        return field;
    }

    @Override
    public String toString() {
        return "InvalidField[" + field + "]: " + getMessage();
    }
}
