package io.kvmtune.hostprep.sys;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.linux.SchedPolicy;
import java.util.Optional;

/**
 * One task (thread) as {@code /proc/<pid>/task/<tid>/stat} and {@code status} describe it.
 *
 * @param pid the thread group (process) id
 * @param tid the thread id
 * @param comm the task name (at most 15 characters)
 * @param flags the {@code PF_*} flags (stat field 9)
 * @param startTime clock ticks after boot (stat field 22)
 * @param lastCpu the CPU it last ran on (stat field 39)
 * @param rtPriority the real-time priority, 0 for non-RT policies (stat field 40)
 * @param policy the kernel's policy number (stat field 41)
 * @param allowed {@code Cpus_allowed_list} from {@code status}
 */
public record TaskInfo(int pid, int tid, String comm, long flags, long startTime, int lastCpu,
        int rtPriority, int policy, CpuSet allowed) {

    /** {@code PF_KTHREAD} from {@code <linux/sched.h>}. */
    static final long PF_KTHREAD = 0x0020_0000L;
    /** {@code PF_NO_SETAFFINITY}: per-CPU kthreads whose affinity userspace may not change. */
    static final long PF_NO_SETAFFINITY = 0x0400_0000L;

    public boolean isKernelThread() {
        return (flags & PF_KTHREAD) != 0;
    }

    /** True when userspace can move it (not a per-CPU kthread). */
    public boolean isMovable() {
        return (flags & PF_NO_SETAFFINITY) == 0;
    }

    /** The policy, or empty for one kvmtune does not know (such as SCHED_EXT). */
    public Optional<SchedPolicy> schedPolicy() {
        try {
            return Optional.of(SchedPolicy.ofValue(policy));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /** The policy's label, or its number when unknown. */
    public String policyLabel() {
        return schedPolicy().map(SchedPolicy::label).orElse("policy" + policy);
    }
}
