package io.kvmtune.linux;

import io.kvmtune.linux.lib.LinuxCalls;
import io.kvmtune.linux.lib.sched_attr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.Objects;

/**
 * The calls of {@link Affinity} and {@link Scheduling}, made through native memory allocated once
 * per instance instead of once per call: for code that reads and sets many threads in a row, such
 * as applying a plan to every thread of a QEMU.
 *
 * <p>Not thread-safe: the call-state segment holds the errno of the last call, so each thread
 * needs its own instance (keep one per thread, never one shared by all). The memory is released
 * when the instance is no longer reachable.
 */
public final class ThreadCalls {

    private final MemorySegment callState;
    private final MemorySegment mask;
    private final MemorySegment attr;

    public ThreadCalls() {
        NativeAccess.require();
        Arena arena = Arena.ofAuto();
        callState = LinuxCalls.allocateCallState(arena);
        mask = arena.allocate(CpuMask.allocSize(CpuMask.possibleCpus()), Long.BYTES);
        attr = sched_attr.allocate(arena);
    }

    /**
     * {@link Affinity#get(int)}.
     *
     * @throws LinuxException ESRCH when there is no such thread, EPERM when it may not be inspected
     */
    public BitSet affinity(int tid) {
        // EINVAL: the kernel's mask is longer than /sys said; Affinity grows its mask until it fits
        return Affinity.getInto(callState, tid, mask) ? CpuMask.read(mask) : Affinity.get(tid);
    }

    /**
     * {@link Affinity#set(int, BitSet)}.
     *
     * @throws LinuxException as {@link Affinity#set(int, BitSet)}
     */
    public void setAffinity(int tid, BitSet cpus) {
        Objects.requireNonNull(cpus, "cpus");
        if (Affinity.maskBytes(cpus) > mask.byteSize()) {
            Affinity.set(tid, cpus);
        } else {
            Affinity.setFrom(callState, tid, cpus, mask);
        }
    }

    /**
     * {@link Scheduling#get(int)}.
     *
     * @throws LinuxException ESRCH when there is no such thread
     */
    public SchedAttr scheduling(int tid) {
        return Scheduling.getInto(callState, tid, attr);
    }

    /**
     * {@link Scheduling#set(int, SchedAttr)}.
     *
     * @throws LinuxException as {@link Scheduling#set(int, SchedAttr)}
     */
    public void setScheduling(int tid, SchedAttr attributes) {
        Objects.requireNonNull(attributes, "attributes");
        Scheduling.setFrom(callState, tid, attributes, attr);
    }
}
