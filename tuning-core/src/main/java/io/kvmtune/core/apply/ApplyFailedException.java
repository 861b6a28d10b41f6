package io.kvmtune.core.apply;

import io.kvmtune.core.KvmtuneException;
import java.util.List;

/**
 * Applying a plan failed, and nothing it changed is left changed; {@link #rollback()} says what
 * was put back.
 *
 * <p>Code {@code ApplyFailed}; {@code RollbackIncomplete} when something could not be put back
 * (the message lists it; the apply record stays, so {@code restore} can try again once the
 * cause is fixed); {@code GuestBusy} when another applier held the guest and nothing was touched.
 */
public final class ApplyFailedException extends KvmtuneException {

    private static final String GUEST_BUSY = "GuestBusy";

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

    /**
     * Another applier (the libvirt hook, {@code kvmtune apply}, {@code restore}, the agent) is
     * changing QEMU {@code pid} right now; this one changed nothing. Code {@code GuestBusy}.
     */
    public static ApplyFailedException guestBusy(int pid, java.nio.file.Path lockFile) {
        return new ApplyFailedException(GUEST_BUSY, "another kvmtune is applying to QEMU pid " + pid + " (it holds "
                + lockFile + "); nothing was changed", new RestoreReport(List.of()), null);
    }

    /** Whether this is {@link #guestBusy}: nothing was changed because another applier held the guest. */
    public boolean guestBusy() {
        return code().equals(GUEST_BUSY);
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
