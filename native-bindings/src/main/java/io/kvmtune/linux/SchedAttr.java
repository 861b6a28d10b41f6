package io.kvmtune.linux;

import java.util.Objects;

/**
 * A thread's scheduling attributes, the fields of {@code struct sched_attr}. Which fields count
 * depends on the policy: {@code nice} for OTHER and BATCH, {@code priority} (1..99) for FIFO and
 * RR, {@code runtime <= deadline <= period} (nanoseconds) for DEADLINE, the utilization clamps
 * (0..1024) when {@link SchedFlag#UTIL_CLAMP} bits are in {@code flags}. Ranges are left to the
 * kernel, which answers EINVAL, so that what is accepted is exactly what Linux accepts.
 *
 * @param policy   the scheduling policy
 * @param flags    {@link SchedFlag} bits
 * @param nice     -20..19
 * @param priority the static real-time priority, 0 for non-real-time policies
 * @param runtime  SCHED_DEADLINE runtime in ns
 * @param deadline SCHED_DEADLINE relative deadline in ns
 * @param period   SCHED_DEADLINE period in ns
 * @param utilMin  minimum utilization clamp
 * @param utilMax  maximum utilization clamp
 */
public record SchedAttr(SchedPolicy policy, long flags, int nice, int priority, long runtime, long deadline,
        long period, int utilMin, int utilMax) {

    public SchedAttr {
        Objects.requireNonNull(policy, "policy");
    }

    /** SCHED_OTHER (SCHED_NORMAL) at {@code nice}. */
    public static SchedAttr other(int nice) {
        return new SchedAttr(SchedPolicy.OTHER, 0, nice, 0, 0, 0, 0, 0, 0);
    }

    /** SCHED_BATCH at {@code nice}. */
    public static SchedAttr batch(int nice) {
        return new SchedAttr(SchedPolicy.BATCH, 0, nice, 0, 0, 0, 0, 0, 0);
    }

    /** SCHED_IDLE. */
    public static SchedAttr idle() {
        return new SchedAttr(SchedPolicy.IDLE, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** SCHED_FIFO at static priority {@code priority}. */
    public static SchedAttr fifo(int priority) {
        return new SchedAttr(SchedPolicy.FIFO, 0, 0, priority, 0, 0, 0, 0, 0);
    }

    /** SCHED_RR at static priority {@code priority}. */
    public static SchedAttr rr(int priority) {
        return new SchedAttr(SchedPolicy.RR, 0, 0, priority, 0, 0, 0, 0, 0);
    }

    /** SCHED_DEADLINE with the given runtime, relative deadline and period, in nanoseconds. */
    public static SchedAttr deadline(long runtimeNanos, long deadlineNanos, long periodNanos) {
        return new SchedAttr(SchedPolicy.DEADLINE, 0, 0, 0, runtimeNanos, deadlineNanos, periodNanos, 0, 0);
    }

    /** This attribute set with {@code flags} replaced. */
    public SchedAttr withFlags(long newFlags) {
        return new SchedAttr(policy, newFlags, nice, priority, runtime, deadline, period, utilMin, utilMax);
    }
}
