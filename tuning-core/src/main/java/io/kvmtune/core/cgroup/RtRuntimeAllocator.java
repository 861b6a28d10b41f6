package io.kvmtune.core.cgroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the realtime budgets along the chain above some realtime vCPU groups and works out,
 * with {@link RtBudgets}, which {@code cpu.rt_runtime_us} writes give them runtime.
 */
public final class RtRuntimeAllocator {

    private final CgroupFs fs;

    public RtRuntimeAllocator(CgroupFs fs) {
        this.fs = fs;
    }

    /**
     * Whether {@code group} lives in a hierarchy with realtime group scheduling: a v1 {@code cpu}
     * group that has {@code cpu.rt_runtime_us} (kernels with CONFIG_RT_GROUP_SCHED).
     */
    public boolean hasRtGroupScheduling(CgroupGroup group) {
        return !group.v2() && fs.has(group.file(RtBudgets.RUNTIME_FILE));
    }

    /**
     * The writes, ancestors first, that give each of {@code leaves} realtime runtime.
     *
     * @param leaves v1 {@code cpu} groups with a common parent
     * @param perLeafUs as in {@link RtBudgets#allocate}
     * @throws IllegalArgumentException when the leaves do not share a parent
     * @throws io.kvmtune.core.DoesNotFitException when the chain has too little runtime free
     */
    public List<RtWrite> allocate(List<CgroupGroup> leaves, OptionalLong perLeafUs) {
        if (leaves.isEmpty()) {
            return List.of();
        }
        Optional<CgroupGroup> holder = leaves.getFirst().parent();
        for (CgroupGroup leaf : leaves) {
            if (holder.isEmpty() || !leaf.parent().equals(holder)) {
                throw new IllegalArgumentException("realtime vCPU groups " + leaves + " do not share one parent group");
            }
        }
        List<CgroupGroup> chain = new ArrayList<>();
        for (Optional<CgroupGroup> g = holder; g.isPresent(); g = g.get().parent()) {
            chain.addFirst(g.get());
        }
        return RtBudgets.allocate(chain.stream().map(this::budget).toList(), leaves.stream().map(this::budget).toList(),
                perLeafUs);
    }

    private RtGroupBudget budget(CgroupGroup group) {
        long children = 0;
        for (CgroupGroup child : fs.children(group)) {
            children += Math.max(0, runtime(child));
        }
        return new RtGroupBudget(group, runtime(group), number(group.file(RtBudgets.PERIOD_FILE)), children);
    }

    private long runtime(CgroupGroup group) {
        return number(group.file(RtBudgets.RUNTIME_FILE));
    }

    private long number(CgroupFile file) {
        String text = fs.read(file);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CgroupException(file, file + " holds '" + text + "', not a number", false, e);
        }
    }
}
