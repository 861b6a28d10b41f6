package io.kvmtune.core.cgroup;

/**
 * The realtime bandwidth of one v1 {@code cpu} group as read from the kernel.
 *
 * @param group the group
 * @param runtimeUs its {@code cpu.rt_runtime_us}; -1 (unlimited) only at the root
 * @param periodUs its {@code cpu.rt_period_us}
 * @param childrenRuntimeUs the sum of its direct children's {@code cpu.rt_runtime_us}
 */
public record RtGroupBudget(CgroupGroup group, long runtimeUs, long periodUs, long childrenRuntimeUs) {

    public RtGroupBudget {
        if (periodUs <= 0) {
            throw new IllegalArgumentException(group + ": cpu.rt_period_us must be positive, not " + periodUs);
        }
        if (runtimeUs < -1 || childrenRuntimeUs < 0) {
            throw new IllegalArgumentException(group + ": negative realtime runtime " + runtimeUs + "/" + childrenRuntimeUs);
        }
    }

    /** What the group may still hand to new children: its runtime minus what its children hold. */
    long slackUs() {
        long capacity = runtimeUs < 0 ? periodUs : runtimeUs;
        return Math.max(0, capacity - childrenRuntimeUs);
    }
}
