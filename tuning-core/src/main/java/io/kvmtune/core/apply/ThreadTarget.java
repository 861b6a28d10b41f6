package io.kvmtune.core.apply;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.linux.SchedPolicy;

/**
 * What a plan asks of one QEMU thread.
 *
 * @param thread the thread
 * @param cpus the CPUs it may run on
 * @param policy its scheduling policy
 * @param priority its static priority (0 unless realtime)
 */
public record ThreadTarget(QemuThread thread, CpuSet cpus, SchedPolicy policy, int priority) {

    /** Whether the thread runs under a realtime policy and so needs realtime runtime in its cgroup. */
    public boolean realtime() {
        return policy.isRealtime();
    }

    /** Whether {@code state} is what this asks: the planned CPUs, policy and priority. */
    public boolean isMetBy(ThreadState state) {
        return state.affinity().equals(cpus) && state.sched().matches(policy, priority);
    }
}
