package io.pxewings.inventory.api;

/** If-Match named a version that is not the current one: the client would overwrite a change it has not seen (412). */
public class PreconditionFailed extends RuntimeException {

    public PreconditionFailed(String message) {
        super(message);
    }
}
