package io.kvmtune.core.apply;

import io.kvmtune.core.cgroup.CgroupFs;
import io.kvmtune.core.cgroup.CgroupGroup;
import io.kvmtune.core.cgroup.LibvirtThreadGroups;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.core.qemu.ThreadRole;
import java.util.HashSet;
import java.util.Set;

/**
 * What kvmtune sets {@code cpuset.cpus} of one of libvirt's per-thread groups to: the pCPUs the
 * plan gives the threads in it, and in {@code emulator} of a v1 cpuset hierarchy also those of
 * the planned vCPUs libvirt has not placed (no {@code vcpuN} group: not plugged in).
 *
 * <p>QEMU creates a vCPU plugged in inside {@code emulator}. With that vCPU's pCPUs allowed there,
 * it gets its affinity and policy at its birth, without first being moved into another group: a
 * move waits for an RCU grace period in the kernel, several milliseconds on a host booted without
 * {@code cgroup_favordynmods}. Nothing is loosened where it matters: the emulator threads keep
 * the plan's pCPUs by their affinity (and the threads they create inherit it), and the pCPUs
 * added are the ones the guest holds for vCPUs yet to come, dedicated to it or shared anyway. Once
 * libvirt has placed the vCPU, the next apply to the guest narrows {@code emulator} again.
 */
final class GroupCpusets {

    private final CgroupFs cgroups;
    private final TuningPlan plan;

    GroupCpusets(CgroupFs cgroups, TuningPlan plan) {
        this.cgroups = cgroups;
        this.plan = plan;
    }

    /** The cpuset of {@code group}, one of libvirt's per-thread groups, whose threads the plan places on {@code planned}. */
    CpuSet of(CgroupGroup group, CpuSet planned) {
        if (group.v2() || !group.name().equals(LibvirtThreadGroups.EMULATOR)) {
            return planned;
        }
        Set<String> placed = new HashSet<>();
        cgroups.children(group.parent().orElseThrow(), LibvirtThreadGroups::isVcpuGroupName)
                .forEach(g -> placed.add(g.name()));
        CpuSet cpus = planned;
        for (VcpuPlacement v : plan.vcpus()) {
            if (!placed.contains(new ThreadRole.Vcpu(v.vcpu()).label())) {
                cpus = cpus.union(v.pcpus());
            }
        }
        return cpus;
    }
}
