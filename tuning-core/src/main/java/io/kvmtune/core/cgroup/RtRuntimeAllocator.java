package io.kvmtune.core.cgroup;


/** Reads the realtime budgets of cgroup v1 {@code cpu} groups, for {@link RtShares}. */
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

    /** The group's realtime runtime, period and what its children hold, as the kernel has them now. */
    public RtGroupBudget budget(CgroupGroup group) {
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
