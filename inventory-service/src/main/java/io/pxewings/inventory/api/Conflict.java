package io.pxewings.inventory.api;

/** The request is valid but collides with another machine's data (a MAC, host name or address in use): 409. */
public class Conflict extends RuntimeException {

    private final String field;

    public Conflict(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
