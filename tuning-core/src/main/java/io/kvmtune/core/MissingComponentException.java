package io.kvmtune.core;

/**
 * Something kvmtune needs is not there or not allowed: root, a QEMU process, a cgroup controller,
 * native access. The message says what to install, enable or run as.
 */
public final class MissingComponentException extends KvmtuneException {

    public MissingComponentException(String code, String message) {
        super(code, null, null, message, null);
    }

    public MissingComponentException(String code, String message, Throwable cause) {
        super(code, null, null, message, cause);
    }

    @Override
    public Kind kind() {
        return Kind.MISSING_COMPONENT;
    }
}
