package io.kvmtune.core.apply;

import io.kvmtune.core.apply.ThreadControlException.Failure;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.ProcStatus;
import io.kvmtune.linux.Affinity;
import io.kvmtune.linux.Limits;
import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.ResourceLimit;
import io.kvmtune.linux.Rlimit;
import io.kvmtune.linux.SchedAttr;
import io.kvmtune.linux.SchedFlag;
import io.kvmtune.linux.Scheduling;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * {@link ThreadControl} and {@link MemoryControl} on the real kernel: the native-bindings facade
 * for the system calls, {@code /proc} for start times and locked memory.
 */
public final class KernelThreadControl implements ThreadControl, MemoryControl {

    /**
     * Flags that {@code sched_setattr} must not be handed back: the utilization clamp bits would
     * reset clamps kvmtune never changes, the keep bits change what the call means.
     */
    private static final long NOT_RESTORED = SchedFlag.UTIL_CLAMP | SchedFlag.KEEP_ALL;

    private final ProcFs proc;

    public KernelThreadControl(ProcFs proc) {
        this.proc = proc;
    }

    @Override
    public OptionalLong startTime(int tid) {
        return proc.stat(tid).map(s -> OptionalLong.of(s.startTime())).orElse(OptionalLong.empty());
    }

    @Override
    public CpuSet affinity(int tid) {
        return call(tid, () -> CpuSet.fromBitSet(Affinity.get(tid)));
    }

    @Override
    public void setAffinity(int tid, CpuSet cpus) {
        call(tid, () -> {
            Affinity.set(tid, cpus.toBitSet());
            return null;
        });
    }

    @Override
    public SchedSettings scheduling(int tid) {
        SchedAttr a = call(tid, () -> Scheduling.get(tid));
        return new SchedSettings(a.policy(), a.priority(), a.nice(), a.flags() & ~NOT_RESTORED, a.runtime(),
                a.deadline(), a.period());
    }

    @Override
    public void setScheduling(int tid, SchedSettings s) {
        SchedAttr attr = new SchedAttr(s.policy(), s.flags() & ~NOT_RESTORED, s.nice(), s.priority(), s.runtimeNs(),
                s.deadlineNs(), s.periodNs(), 0, 0);
        call(tid, () -> {
            Scheduling.set(tid, attr);
            return null;
        });
    }

    @Override
    public ResourceLimit memlockLimit(int pid) {
        return call(pid, () -> Limits.get(pid, Rlimit.MEMLOCK));
    }

    @Override
    public void setMemlockLimit(int pid, ResourceLimit limit) {
        call(pid, () -> Limits.set(pid, Rlimit.MEMLOCK, limit));
    }

    @Override
    public long lockedBytes(int pid) {
        ProcStatus status = proc.status(pid).orElseThrow(() -> new ThreadControlException(pid, Failure.GONE,
                "process " + pid + " has exited"));
        return status.vmLckKb().orElse(0) * 1024;
    }

    private static <T> T call(int tid, Supplier<T> syscall) {
        try {
            return syscall.get();
        } catch (LinuxException e) {
            Failure failure = switch (e.errno()) {
                case ESRCH -> Failure.GONE;
                case EINVAL -> Failure.INVALID;
                case EPERM, EACCES -> Failure.NOT_PERMITTED;
                default -> Failure.OTHER;
            };
            throw new ThreadControlException(tid, failure, e.getMessage(), e);
        }
    }
}
