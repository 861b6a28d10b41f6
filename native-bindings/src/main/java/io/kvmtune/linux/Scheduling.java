package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import io.kvmtune.linux.lib.kvmtune_linux_h;
import io.kvmtune.linux.lib.sched_attr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Scheduling policy and parameters of a thread through {@code sched_setattr}/{@code sched_getattr}
 * (by {@code syscall(2)}: glibc has no wrapper before 2.41), the one interface that covers every
 * policy including SCHED_DEADLINE and the utilization clamps. Thread id 0 means the calling
 * thread.
 */
public final class Scheduling {

    private Scheduling() {
    }

    /**
     * The scheduling attributes of thread {@code tid}.
     *
     * @throws LinuxException ESRCH when there is no such thread
     * @throws IllegalArgumentException when the thread runs a policy {@link SchedPolicy} does not
     *                                  know (SCHED_EXT)
     */
    public static SchedAttr get(int tid) {
        NativeAccess.require();
        try (Arena arena = Arena.ofConfined()) {
            return getInto(LinuxCalls.allocateCallState(arena), tid, sched_attr.allocate(arena));
        }
    }

    /** One {@code sched_getattr} into caller-owned memory ({@code attr} of {@code sched_attr.sizeof()} bytes). */
    static SchedAttr getInto(MemorySegment callState, int tid, MemorySegment attr) {
        ErrnoCheck.check(LinuxCalls.sched_getattr(callState, tid, attr, (int) sched_attr.sizeof(), 0), callState,
                "sched_getattr", "tid " + tid);
        return new SchedAttr(SchedPolicy.ofValue(sched_attr.sched_policy(attr)), sched_attr.sched_flags(attr),
                sched_attr.sched_nice(attr), sched_attr.sched_priority(attr), sched_attr.sched_runtime(attr),
                sched_attr.sched_deadline(attr), sched_attr.sched_period(attr),
                sched_attr.sched_util_min(attr), sched_attr.sched_util_max(attr));
    }

    /**
     * Gives thread {@code tid} the attributes {@code attr}.
     *
     * @throws LinuxException EINVAL for parameters out of range for the policy (FIFO priority
     *                        100), EPERM without CAP_SYS_NICE or RLIMIT_RTPRIO room, or when the
     *                        thread's cpu cgroup has no real-time budget (cpu.rt_runtime_us 0
     *                        with CONFIG_RT_GROUP_SCHED), EBUSY when SCHED_DEADLINE admission
     *                        control refuses the bandwidth, EOPNOTSUPP for utilization clamps on
     *                        a kernel without CONFIG_UCLAMP_TASK, ESRCH when there is no such thread
     */
    public static void set(int tid, SchedAttr attr) {
        Objects.requireNonNull(attr, "attr");
        NativeAccess.require();
        try (Arena arena = Arena.ofConfined()) {
            setFrom(LinuxCalls.allocateCallState(arena), tid, attr, sched_attr.allocate(arena));
        }
    }

    /** One {@code sched_setattr} through caller-owned memory ({@code struct} of {@code sched_attr.sizeof()} bytes). */
    static void setFrom(MemorySegment callState, int tid, SchedAttr attr, MemorySegment struct) {
        sched_attr.size(struct, kvmtune_linux_h.SCHED_ATTR_SIZE_VER1());
        sched_attr.sched_policy(struct, attr.policy().value());
        sched_attr.sched_flags(struct, attr.flags());
        sched_attr.sched_nice(struct, attr.nice());
        sched_attr.sched_priority(struct, attr.priority());
        sched_attr.sched_runtime(struct, attr.runtime());
        sched_attr.sched_deadline(struct, attr.deadline());
        sched_attr.sched_period(struct, attr.period());
        sched_attr.sched_util_min(struct, attr.utilMin());
        sched_attr.sched_util_max(struct, attr.utilMax());
        ErrnoCheck.check(LinuxCalls.sched_setattr(callState, tid, struct, 0), callState, "sched_setattr", "tid " + tid);
    }
}
