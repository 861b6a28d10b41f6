package io.kvmtune.linux;

import io.kvmtune.linux.lib.kvmtune_linux_h;

/**
 * A soft and hard resource limit ({@code struct rlimit}). {@link #INFINITY} stands for
 * {@code RLIM_INFINITY}; every other value is a non-negative amount in the resource's unit.
 *
 * @param soft the limit enforced now
 * @param hard the ceiling an unprivileged process may raise {@code soft} to
 */
public record ResourceLimit(long soft, long hard) {

    /** {@code RLIM_INFINITY}: no limit. */
    public static final long INFINITY = kvmtune_linux_h.RLIM_INFINITY();

    public ResourceLimit {
        requireAmount("soft", soft);
        requireAmount("hard", hard);
        // unsigned, so that INFINITY is the largest value, as in the kernel
        if (Long.compareUnsigned(soft, hard) > 0) {
            throw new IllegalArgumentException("soft limit " + format(soft) + " exceeds hard limit " + format(hard));
        }
    }

    private static void requireAmount(String which, long value) {
        if (value < 0 && value != INFINITY) {
            throw new IllegalArgumentException(which + " limit must be >= 0 or INFINITY, got " + value);
        }
    }

    /** Soft and hard both {@code value}. */
    public static ResourceLimit of(long value) {
        return new ResourceLimit(value, value);
    }

    /** No limit at all. */
    public static ResourceLimit unlimited() {
        return new ResourceLimit(INFINITY, INFINITY);
    }

    /** True when the soft limit is {@code RLIM_INFINITY}. */
    public boolean softUnlimited() {
        return soft == INFINITY;
    }

    /** True when the hard limit is {@code RLIM_INFINITY}. */
    public boolean hardUnlimited() {
        return hard == INFINITY;
    }

    @Override
    public String toString() {
        return "soft " + format(soft) + ", hard " + format(hard);
    }

    private static String format(long value) {
        return value == INFINITY ? "unlimited" : Long.toString(value);
    }
}
