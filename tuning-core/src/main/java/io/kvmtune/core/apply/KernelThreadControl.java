package io.kvmtune.core.apply;

import io.kvmtune.core.apply.ThreadControlException.Failure;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.PinnedStat;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.ProcStatus;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.linux.Limits;
import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.ResourceLimit;
import io.kvmtune.linux.Rlimit;
import io.kvmtune.linux.SchedAttr;
import io.kvmtune.linux.SchedFlag;
import io.kvmtune.linux.ThreadCalls;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * {@link ThreadControl} and {@link MemoryControl} on the real kernel: the native-bindings facade
 * for the system calls, {@code /proc} for start times and locked memory.
 *
 * <p>Safe to share between threads: the native memory of the system calls is reused, one
 * {@link ThreadCalls} per calling thread, because an apply makes several calls per QEMU thread
 * and an arena per call would cost as much as a fast system call.
 */
public final class KernelThreadControl implements ThreadControl, MemoryControl {

    /**
     * Flags that {@code sched_setattr} must not be handed back: the utilization clamp bits would
     * reset clamps kvmtune never changes, the keep bits change what the call means.
     */
    private static final long NOT_RESTORED = SchedFlag.UTIL_CLAMP | SchedFlag.KEEP_ALL;

    private final ProcFs proc;
    private final ThreadLocal<ThreadCalls> calls = ThreadLocal.withInitial(ThreadCalls::new);

    public KernelThreadControl(ProcFs proc) {
        this.proc = proc;
    }

    @Override
    public OptionalLong startTime(int tid) {
        return proc.startTime(tid);
    }

    /** Keeps {@code /proc/<tid>/stat} open: it fails to read once the found thread is gone, reused id or not. */
    @Override
    public ThreadPin pin(ThreadIdentity identity) {
        return proc.openStat(identity.tid()).map(stat -> pin(stat, identity)).orElse(() -> false);
    }

    /** Reads the start time through the pin's own open {@code stat}: one open where the default makes two. */
    @Override
    public Optional<PinnedThread> pinNow(int tid) {
        Optional<PinnedStat> stat = proc.openStat(tid);
        OptionalLong start = stat.map(PinnedStat::startTime).orElse(OptionalLong.empty());
        if (start.isEmpty()) {
            stat.ifPresent(PinnedStat::close);
            return Optional.empty();
        }
        ThreadIdentity identity = new ThreadIdentity(tid, start.getAsLong());
        return Optional.of(new PinnedThread(identity, pin(stat.get(), identity)));
    }

    private static ThreadPin pin(PinnedStat stat, ThreadIdentity identity) {
        return new ThreadPin() {
            @Override
            public boolean alive() {
                return stat.startTime().equals(OptionalLong.of(identity.startTime()));
            }

            @Override
            public void close() {
                stat.close();
            }
        };
    }

    @Override
    public CpuSet affinity(int tid) {
        return call(tid, () -> CpuSet.fromBitSet(calls.get().affinity(tid)));
    }

    @Override
    public void setAffinity(int tid, CpuSet cpus) {
        call(tid, () -> {
            calls.get().setAffinity(tid, cpus.toBitSet());
            return null;
        });
    }

    @Override
    public SchedSettings scheduling(int tid) {
        SchedAttr a = call(tid, () -> calls.get().scheduling(tid));
        return new SchedSettings(a.policy(), a.priority(), a.nice(), a.flags() & ~NOT_RESTORED, a.runtime(),
                a.deadline(), a.period());
    }

    @Override
    public void setScheduling(int tid, SchedSettings s) {
        SchedAttr attr = new SchedAttr(s.policy(), s.flags() & ~NOT_RESTORED, s.nice(), s.priority(), s.runtimeNs(),
                s.deadlineNs(), s.periodNs(), 0, 0);
        call(tid, () -> {
            calls.get().setScheduling(tid, attr);
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
