package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.Objects;

/**
 * CPU affinity of a thread ({@code sched_getaffinity}/{@code sched_setaffinity}). Masks are sized
 * from {@code /sys/devices/system/cpu/possible}, not glibc's fixed 1024-CPU {@code cpu_set_t}, so
 * they work on any number of CPUs. Thread id 0 means the calling thread.
 */
public final class Affinity {

    private Affinity() {
    }

    // 2^22 CPUs: far beyond any kernel's NR_CPUS, only there to stop a runaway retry loop
    private static final long MAX_MASK_BYTES = CpuMask.allocSize(1 << 22);

    /**
     * The CPUs thread {@code tid} may run on.
     *
     * @throws LinuxException ESRCH when there is no such thread, EPERM when it may not be inspected
     */
    public static BitSet get(int tid) {
        return get(tid, CpuMask.allocSize(CpuMask.possibleCpus()));
    }

    /** {@link #get(int)} starting from a mask of {@code initialBytes}. */
    static BitSet get(int tid, long initialBytes) {
        NativeAccess.require();
        // the kernel answers EINVAL when the mask is shorter than its nr_cpu_ids or not whole
        // longs; /sys normally gives the right size, and doubling covers hosts where it cannot
        // be read, as util-linux's taskset does
        long size = initialBytes;
        while (true) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = LinuxCalls.allocateCallState(arena);
                MemorySegment mask = arena.allocate(size, Long.BYTES);
                if (LinuxCalls.sched_getaffinity(state, tid, size, mask) != -1) {
                    return CpuMask.read(mask);
                }
                int errno = LinuxCalls.errno(state);
                if (errno != Errno.EINVAL.number() || size >= MAX_MASK_BYTES) {
                    throw new LinuxException("sched_getaffinity", "tid " + tid, errno);
                }
                size *= 2;
            }
        }
    }

    /**
     * Restricts thread {@code tid} to {@code cpus}. The kernel migrates the thread at once if it
     * runs elsewhere (tens of microseconds).
     *
     * @throws LinuxException EINVAL when {@code cpus} names no online CPU the thread's cpuset
     *                        allows, ESRCH when there is no such thread, EPERM without the right
     */
    public static void set(int tid, BitSet cpus) {
        Objects.requireNonNull(cpus, "cpus");
        NativeAccess.require();
        long size = CpuMask.allocSize(Math.max(CpuMask.possibleCpus(), cpus.length()));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LinuxCalls.allocateCallState(arena);
            MemorySegment mask = arena.allocate(size, Long.BYTES);
            CpuMask.write(cpus, mask);
            ErrnoCheck.check(LinuxCalls.sched_setaffinity(state, tid, size, mask), state,
                    "sched_setaffinity", "tid " + tid);
        }
    }
}
