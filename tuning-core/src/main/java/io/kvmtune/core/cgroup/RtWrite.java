package io.kvmtune.core.cgroup;

/**
 * One change of a group's {@code cpu.rt_runtime_us}.
 *
 * @param group the group
 * @param fromUs the runtime it has now
 * @param toUs the runtime it gets
 */
public record RtWrite(CgroupGroup group, long fromUs, long toUs) {

    public CgroupFile file() {
        return group.file(RtBudgets.RUNTIME_FILE);
    }
}
