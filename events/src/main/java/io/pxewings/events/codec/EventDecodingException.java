package io.pxewings.events.codec;

/** A record that is not a valid event of the contract; consumers send it to the dead-letter topic. */
public class EventDecodingException extends RuntimeException {

    public EventDecodingException(String message) {
        super(message);
    }

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
