package io.kvmtune.core.apply;

import io.kvmtune.core.KvmtuneException;

/**
 * Applying a plan failed and what had been changed was put back; {@link #rollback()} says what.
 *
 * <p>Code {@code ApplyFailed}; {@code RollbackIncomplete} when something could not be put back
 * (the message lists it, so the operator knows exactly what to fix by hand).
 */
public final class ApplyFailedException extends KvmtuneException {

    private final transient RestoreReport rollback;

    public ApplyFailedException(String message, RestoreReport rollback, Throwable cause) {
        super(rollback.complete() ? "ApplyFailed" : "RollbackIncomplete", null, null,
                rollback.complete() ? message + "; every change was rolled back"
                        : message + "; rolling back failed for: " + rollback.failures(),
                cause);
        this.rollback = rollback;
    }

    /** What the rollback put back, found gone or could not restore. */
    public RestoreReport rollback() {
        return rollback;
    }

    @Override
    public Kind kind() {
        return Kind.APPLY_FAILED;
    }
}
