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
                MemorySegment mask = arena.allocate(size, Long.BYTES);
                if (getInto(LinuxCalls.allocateCallState(arena), tid, mask)) {
                    return CpuMask.read(mask);
                }
                if (size >= MAX_MASK_BYTES) {
                    throw new LinuxException("sched_getaffinity", "tid " + tid, Errno.EINVAL.number());
                }
                size *= 2;
            }
        }
    }

    /**
     * One {@code sched_getaffinity} into caller-owned memory; false when the kernel answers
     * EINVAL, which means {@code mask} is shorter than the kernel's CPU mask. {@code mask} is
     * cleared first: the raw system call writes only the kernel's size, and a reused mask must
     * not keep bits from an earlier call.
     */
    static boolean getInto(MemorySegment callState, int tid, MemorySegment mask) {
        mask.fill((byte) 0);
        if (LinuxCalls.sched_getaffinity(callState, tid, mask.byteSize(), mask) != -1) {
            return true;
        }
        int errno = LinuxCalls.errno(callState);
        if (errno == Errno.EINVAL.number()) {
            return false;
        }
        throw new LinuxException("sched_getaffinity", "tid " + tid, errno);
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
        try (Arena arena = Arena.ofConfined()) {
            setFrom(LinuxCalls.allocateCallState(arena), tid, cpus, arena.allocate(maskBytes(cpus), Long.BYTES));
        }
    }

    /** Bytes of the mask that holds {@code cpus} and is as long as the kernel's. */
    static long maskBytes(BitSet cpus) {
        return CpuMask.allocSize(Math.max(CpuMask.possibleCpus(), cpus.length()));
    }

    /** One {@code sched_setaffinity} through caller-owned memory of at least {@link #maskBytes} bytes. */
    static void setFrom(MemorySegment callState, int tid, BitSet cpus, MemorySegment mask) {
        mask.fill((byte) 0);
        CpuMask.write(cpus, mask);
        ErrnoCheck.check(LinuxCalls.sched_setaffinity(callState, tid, mask.byteSize(), mask), callState,
                "sched_setaffinity", "tid " + tid);
    }
}
