package io.kvmtune.linux;

import io.kvmtune.linux.lib.kvmtune_linux_h;

/**
 * The bits of {@link SchedAttr#flags()}: {@code SCHED_FLAG_*} from {@code <linux/sched.h>}.
 * Combine them with {@code |}.
 */
public final class SchedFlag {

    private SchedFlag() {
    }

    /** Children forked by the thread start with SCHED_OTHER and nice 0 instead of inheriting. */
    public static final long RESET_ON_FORK = kvmtune_linux_h.SCHED_FLAG_RESET_ON_FORK();
    /** SCHED_DEADLINE: reclaim bandwidth other deadline tasks leave unused (GRUB). */
    public static final long RECLAIM = kvmtune_linux_h.SCHED_FLAG_RECLAIM();
    /** SCHED_DEADLINE: send SIGXCPU when the thread overruns its runtime. */
    public static final long DL_OVERRUN = kvmtune_linux_h.SCHED_FLAG_DL_OVERRUN();
    /** Keep the current policy; change only the other attributes (Linux 5.3). */
    public static final long KEEP_POLICY = kvmtune_linux_h.SCHED_FLAG_KEEP_POLICY();
    /** Keep the current priority/nice/deadline parameters (Linux 5.3). */
    public static final long KEEP_PARAMS = kvmtune_linux_h.SCHED_FLAG_KEEP_PARAMS();
    /** Apply {@link SchedAttr#utilMin()} (needs a kernel with CONFIG_UCLAMP_TASK). */
    public static final long UTIL_CLAMP_MIN = kvmtune_linux_h.SCHED_FLAG_UTIL_CLAMP_MIN();
    /** Apply {@link SchedAttr#utilMax()} (needs a kernel with CONFIG_UCLAMP_TASK). */
    public static final long UTIL_CLAMP_MAX = kvmtune_linux_h.SCHED_FLAG_UTIL_CLAMP_MAX();
    /** {@link #KEEP_POLICY} | {@link #KEEP_PARAMS}. */
    public static final long KEEP_ALL = kvmtune_linux_h.SCHED_FLAG_KEEP_ALL();
    /** {@link #UTIL_CLAMP_MIN} | {@link #UTIL_CLAMP_MAX}. */
    public static final long UTIL_CLAMP = kvmtune_linux_h.SCHED_FLAG_UTIL_CLAMP();
    /** Every flag this kernel ABI defines. */
    public static final long ALL = kvmtune_linux_h.SCHED_FLAG_ALL();
}
