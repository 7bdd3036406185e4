package io.pxewings.httpboot;

/** A value from a machine or an intent that is not what its place needs; the answer names {@link #field()}. */
public class InvalidField extends IllegalArgumentException {

    private final String field;

    public InvalidField(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
