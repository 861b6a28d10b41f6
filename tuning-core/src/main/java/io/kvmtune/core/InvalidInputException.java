package io.kvmtune.core;

/**
 * A request, host setting, plan file or XML document that cannot be honoured as written.
 *
 * <p>Validation code throws this with the key and value that caused it, so that a person sees
 * exactly which setting to fix and why.
 */
public final class InvalidInputException extends KvmtuneException {

    public InvalidInputException(String code, String key, String value, String message) {
        super(code, key, value, message, null);
    }

    public InvalidInputException(String code, String key, String value, String message, Throwable cause) {
        super(code, key, value, message, cause);
    }

    /** Nova's plain {@code Invalid}, for malformed values with no more specific exception. */
    public static InvalidInputException invalid(String key, String value, String message) {
        return new InvalidInputException("Invalid", key, value, message);
    }

    /**
     * The same error attributed to {@code newKey}: parsers that do not know which setting they
     * read (a cpu spec, a mask) report with a {@code null} key and their caller names it.
     */
    public InvalidInputException withKey(String newKey) {
        String prefix = newKey + ": ";
        String message = getMessage().startsWith(prefix) ? getMessage() : prefix + getMessage();
        return new InvalidInputException(code(), newKey, value(), message, this);
    }

    @Override
    public Kind kind() {
        return Kind.INVALID_INPUT;
    }
}
