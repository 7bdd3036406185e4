package io.pxewings.events.codec;

/**
 * A well-formed CloudEvent whose type this build does not know (a newer producer). Consumers skip
 * it and count it rather than dead-lettering it: forward compatibility, not an error.
 */
public class UnknownEventTypeException extends EventDecodingException {

    private final String type;

    public UnknownEventTypeException(String type) {
        super("unknown event type " + type);
        this.type = type;
    }

    public String type() {
        return type;
    }
}
