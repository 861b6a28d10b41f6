package io.kvmtune.core;

import java.util.Objects;

/**
 * Base of every error kvmtune reports to a person or a script.
 *
 * <p>Each error carries a stable {@code code} (Nova's exception name where one exists, such as
 * {@code RealtimeMaskNotFoundOrInvalid}, else a kvmtune name such as {@code DoesNotFit}), and, when
 * one input caused it, the {@code key} and {@code value} of that input. The launcher turns the
 * {@link Kind} into an exit code and the rest into the one-line and JSON error formats of CLI.md.
 */
public abstract class KvmtuneException extends RuntimeException {

    /** What kind of failure this is; decides the exit code. */
    public enum Kind {
        /** Usage, spec, config or XML that cannot be honoured as written. */
        INVALID_INPUT,
        /** The request is valid but the host cannot give it what it asks for. */
        DOES_NOT_FIT,
        /** Applying failed and everything that had been changed was put back. */
        APPLY_FAILED,
        /** Not root, no QEMU, no cgroup controller, no native access. */
        MISSING_COMPONENT
    }

    private final String code;
    private final String key;
    private final String value;

    protected KvmtuneException(String code, String key, String value, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.key = key;
        this.value = value;
    }

    public abstract Kind kind();

    /** Nova's exception name where one exists, else a kvmtune name. Stable: scripts match on it. */
    public String code() {
        return code;
    }

    /** The input key that caused the error, or {@code null} when no single input did. */
    public String key() {
        return key;
    }

    /** The offending value of {@link #key()}, or {@code null}. */
    public String value() {
        return value;
    }
}
