package io.kvmtune.core.apply;

import io.kvmtune.core.cgroup.CgroupGroup;
import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The realtime runtime one realtime vCPU group got: shared equally among every realtime vCPU
 * group on the host, so it changes as other realtime guests start and stop.
 *
 * @param group the vCPU's cgroup v1 {@code cpu} group ({@code cpu/machine/qemu-1-rt.libvirt-qemu/vcpu1})
 * @param runtimeUs its {@code cpu.rt_runtime_us}
 * @param periodUs its {@code cpu.rt_period_us}
 */
public record RtGrant(CgroupGroup group, long runtimeUs, long periodUs) implements JsonWritable {

    /**
     * What to tell the operator when the runtime is less than a full CPU: the kernel's RT group
     * scheduling caps the runtime of all groups together, so a SCHED_FIFO vCPU that spins is
     * throttled for the rest of every period.
     */
    public static final String LESS_THAN_A_CPU_NOTE = "realtime vCPU groups get less than a full CPU (runtime < period):"
            + " the kernel's RT group scheduling (CONFIG_RT_GROUP_SCHED) makes all groups share the root's"
            + " cpu.rt_runtime_us, so a spinning SCHED_FIFO vCPU is throttled for the rest of each period;"
            + " the remedy of `kvmtune hostprep check` item rt.group-sched (boot with rt_group_sched=0 on 6.16+,"
            + " or a kernel without CONFIG_RT_GROUP_SCHED) removes the limit";

    /** Whether the group gets a full CPU. */
    public boolean fullCpu() {
        return runtimeUs >= periodUs;
    }

    /** The vCPU's group name ({@code vcpu1}). */
    public String vcpu() {
        return group.name();
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vcpu", vcpu());
        m.put("group", group.toString());
        m.put("runtime_us", runtimeUs);
        m.put("period_us", periodUs);
        return m;
    }
}
