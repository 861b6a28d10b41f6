package io.kvmtune.core.apply;

import io.kvmtune.core.KvmtuneException;
import java.util.List;

/**
 * Applying a plan failed, and nothing it changed is left changed; {@link #rollback()} says what
 * was put back.
 *
 * <p>Code {@code ApplyFailed}; {@code RollbackIncomplete} when something could not be put back
 * (the message lists it; the apply record stays, so {@code restore} can try again once the
 * cause is fixed).
 */
public final class ApplyFailedException extends KvmtuneException {

    private final transient RestoreReport rollback;

    private ApplyFailedException(String code, String message, RestoreReport rollback, Throwable cause) {
        super(code, null, null, message, cause);
        this.rollback = rollback;
    }

    /** Failed after changing something; {@code rollback} is what putting it back did. */
    public static ApplyFailedException rolledBack(String message, RestoreReport rollback, Throwable cause) {
        return rollback.complete()
                ? new ApplyFailedException("ApplyFailed", message + "; every change was rolled back", rollback, cause)
                : new ApplyFailedException("RollbackIncomplete", message + "; rolling back failed for: "
                        + rollback.failures() + "; the apply record is kept for a later restore", rollback, cause);
    }

    /** Failed before anything was changed. */
    public static ApplyFailedException beforeAnyChange(String message, Throwable cause) {
        return new ApplyFailedException("ApplyFailed", message + "; nothing was changed", new RestoreReport(List.of()),
                cause);
    }

    /** What the rollback put back, found gone or could not restore; empty when nothing had changed. */
    public RestoreReport rollback() {
        return rollback;
    }

    @Override
    public Kind kind() {
        return Kind.APPLY_FAILED;
    }
}
