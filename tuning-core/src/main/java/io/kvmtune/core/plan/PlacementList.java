package io.kvmtune.core.plan;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.linux.SchedPolicy;
import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The planner's vCPU placements as one reference per vCPU (its pCPU set, shared with the host
 * index) plus the request's pinned and realtime vCPU sets; each {@link VcpuPlacement} is made when
 * read. A plan for 64 vCPUs so holds one array instead of 64 records, and a consumer that only
 * walks the list once lets the JIT drop the records entirely. Immutable: every mutator is
 * {@link AbstractList}'s, which throws; equal to any list of the same placements.
 */
final class PlacementList extends AbstractList<VcpuPlacement> implements RandomAccess {

    private final CpuSet[] pcpus;
    private final CpuSet pinned;
    private final CpuSet realtime;
    private final int priority;

    /**
     * @param pcpus per vCPU its pCPUs, never empty; owned by this list from now on
     * @param pinned the vCPUs whose set is one dedicated pCPU
     * @param realtime the vCPUs that run SCHED_FIFO at {@code priority}, a subset of {@code pinned}
     */
    PlacementList(CpuSet[] pcpus, CpuSet pinned, CpuSet realtime, int priority) {
        this.pcpus = pcpus;
        this.pinned = pinned;
        this.realtime = realtime;
        this.priority = priority;
    }

    @Override
    public VcpuPlacement get(int vcpu) {
        Objects.checkIndex(vcpu, pcpus.length);
        return realtime.contains(vcpu)
                ? new VcpuPlacement(vcpu, pcpus[vcpu], pinned.contains(vcpu), SchedPolicy.FIFO, priority)
                : new VcpuPlacement(vcpu, pcpus[vcpu], pinned.contains(vcpu), SchedPolicy.OTHER, 0);
    }

    @Override
    public int size() {
        return pcpus.length;
    }
}
