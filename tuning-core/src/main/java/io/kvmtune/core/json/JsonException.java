package io.kvmtune.core.json;

/** Malformed JSON text, or a JSON document whose shape is not the one expected. */
public final class JsonException extends RuntimeException {

    private final int offset;

    public JsonException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** Offset into the text where parsing stopped, or -1 for a shape error. */
    public int offset() {
        return offset;
    }
}
