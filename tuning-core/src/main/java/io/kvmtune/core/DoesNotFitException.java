package io.kvmtune.core;

/** A valid request that this host cannot give what it asks for (too few free pCPUs, no such node). */
public final class DoesNotFitException extends KvmtuneException {

    public DoesNotFitException(String key, String value, String message) {
        super("DoesNotFit", key, value, message, null);
    }

    @Override
    public Kind kind() {
        return Kind.DOES_NOT_FIT;
    }
}
