package io.kvmtune.core.qemu;

import io.kvmtune.core.KvmtuneException;

/**
 * A QEMU monitor (QMP) that could not answer: it cannot be reached, did not answer in time, sent
 * something that is not QMP, or answered a command with an error.
 *
 * <p>Codes: {@code QmpUnavailable} (connect failed or the connection closed), {@code QmpTimeout},
 * {@code QmpProtocolError} (garbage, or a reply of the wrong shape), {@code QmpCommandFailed}
 * (an error reply; {@link #key()} is the command, {@link #value()} QEMU's error class such as
 * {@code CommandNotFound}).
 */
public final class QmpException extends KvmtuneException {

    private QmpException(String code, String key, String value, String message, Throwable cause) {
        super(code, key, value, message, cause);
    }

    static QmpException unavailable(String message, Throwable cause) {
        return new QmpException("QmpUnavailable", null, null, message, cause);
    }

    static QmpException timeout(String message) {
        return new QmpException("QmpTimeout", null, null, message, null);
    }

    static QmpException protocol(String message, Throwable cause) {
        return new QmpException("QmpProtocolError", null, null, message, cause);
    }

    static QmpException commandFailed(String command, String errorClass, String description) {
        return new QmpException("QmpCommandFailed", command, errorClass,
                "QMP command " + command + " failed: " + errorClass + ": " + description, null);
    }

    /** The monitor did not give what kvmtune needs, so the guest's threads cannot be found through it. */
    @Override
    public Kind kind() {
        return Kind.MISSING_COMPONENT;
    }
}
