package io.kvmtune.hostprep.sys;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.ProcStat;
import io.kvmtune.linux.SchedPolicy;
import java.util.Optional;

/**
 * One task (thread): its {@code stat} fields and where it may run ({@code Cpus_allowed_list}).
 *
 * @param pid the thread group (process) id
 * @param stat {@code /proc/<pid>/task/<tid>/stat}
 * @param allowed {@code Cpus_allowed_list} from its {@code status}
 */
public record TaskInfo(int pid, ProcStat stat, CpuSet allowed) {

    public int tid() {
        return stat.pid();
    }

    public String comm() {
        return stat.comm();
    }

    /** The CPU it last ran on. */
    public int lastCpu() {
        return stat.processor();
    }

    public int rtPriority() {
        return stat.rtPriority();
    }

    public boolean isKernelThread() {
        return stat.isKernelThread();
    }

    /** True when userspace can move it (not a per-CPU kthread). */
    public boolean isMovable() {
        return !stat.refusesAffinity();
    }

    public Optional<SchedPolicy> schedPolicy() {
        return stat.schedPolicy();
    }

    /** The policy's label, or its number when unknown. */
    public String policyLabel() {
        return schedPolicy().map(SchedPolicy::label).orElse("policy" + stat.policy());
    }
}
