package io.kvmtune.core.cgroup;


/**
 * The cgroup v1 {@code cpu} files of realtime group scheduling ({@code CONFIG_RT_GROUP_SCHED}),
 * where a group with {@code cpu.rt_runtime_us = 0} (every group libvirt creates) refuses
 * SCHED_FIFO with EPERM; {@link RtShares} works out the runtime to give.
 */
public final class RtBudgets {

    /** The control file holding a group's realtime runtime per period. */
    public static final String RUNTIME_FILE = "cpu.rt_runtime_us";
    /** The control file holding a group's realtime period. */
    public static final String PERIOD_FILE = "cpu.rt_period_us";

    private RtBudgets() {
    }
}
