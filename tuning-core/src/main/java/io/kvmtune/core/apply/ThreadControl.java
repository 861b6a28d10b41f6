package io.kvmtune.core.apply;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The kernel calls the apply engine makes on single threads: affinity and scheduling by thread
 * id, and the start time that tells a live thread from a reused id.
 *
 * <p>One implementation calls the kernel through native-bindings; unit tests use an in-memory
 * one. Every method throws {@link ThreadControlException} with the kernel's reason.
 */
public interface ThreadControl {

    /** The thread's start time (field 22 of {@code /proc/<tid>/stat}), or empty when it has exited. */
    OptionalLong startTime(int tid);

    /**
     * A hold on the thread {@code identity} names, for identity checks after acting on it. This
     * default compares {@link #startTime} each time; the kernel's keeps {@code /proc/<tid>/stat}
     * open, which is cheaper to re-read and cannot be fooled by a reused id.
     */
    default ThreadPin pin(ThreadIdentity identity) {
        return () -> startTime(identity.tid()).equals(OptionalLong.of(identity.startTime()));
    }

    /**
     * Pins the thread {@code tid} names now, reading who it is: empty when no thread has that id.
     * This default reads the start time, then pins by it; the kernel's reads the start time
     * through the pin, opening the thread's {@code stat} once for both.
     */
    default Optional<PinnedThread> pinNow(int tid) {
        OptionalLong start = startTime(tid);
        if (start.isEmpty()) {
            return Optional.empty();
        }
        ThreadIdentity identity = new ThreadIdentity(tid, start.getAsLong());
        return Optional.of(new PinnedThread(identity, pin(identity)));
    }

    /** {@code sched_getaffinity(2)}. */
    CpuSet affinity(int tid);

    /** {@code sched_setaffinity(2)}. */
    void setAffinity(int tid, CpuSet cpus);

    /** {@code sched_getattr(2)}. */
    SchedSettings scheduling(int tid);

    /** {@code sched_setattr(2)}. */
    void setScheduling(int tid, SchedSettings settings);
}
