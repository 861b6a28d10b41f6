package io.kvmtune.bench.apply;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.EmulatorPlacement;
import io.kvmtune.core.plan.EmulatorRule;
import io.kvmtune.core.plan.MemoryPlan;
import io.kvmtune.core.plan.RealtimePlan;
import io.kvmtune.core.plan.Reason;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.linux.SchedPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The plans the apply comparison switches between. Applying {@link #realtime} and {@link #swapped}
 * alternately changes every vCPU's affinity and policy on every run, so no method can win by
 * finding nothing to do; {@link #floating} is how QEMU starts its threads, and what is put back.
 *
 * <p>The vCPUs are spread round-robin over the given CPUs; the emulator threads stay on all of
 * them in every plan, so the per-thread work of each method is the vCPU threads'. No plan pins
 * vCPUs as dedicated ({@code pinned=false}): the benchmark must not claim pCPUs another guest on
 * this host may hold.
 */
public enum AlternatingPlans {

    /**
     * vCPU n on the n-th CPU (round-robin), SCHED_FIFO priority 2 (not 1, so that a check that
     * confused policy number and priority would fail).
     */
    REALTIME("a"),
    /** vCPU n on the (n+1)-th CPU (round-robin), SCHED_OTHER. */
    SWAPPED("b"),
    /** Every vCPU floating on all CPUs, SCHED_OTHER: a freshly started QEMU. */
    FLOATING("float");

    private static final int PRIORITY = 2;

    private final String fileTag;

    AlternatingPlans(String fileTag) {
        this.fileTag = fileTag;
    }

    /** The tag in the comparison's file names: {@code plan-a.json}, {@code threads-a.tsv}. */
    public String fileTag() {
        return fileTag;
    }

    /** This plan for a guest of {@code vcpus} vCPUs on the host CPUs {@code cpus}. */
    public TuningPlan plan(int vcpus, CpuSet cpus) {
        int[] host = cpus.toArray();
        List<VcpuPlacement> placements = new ArrayList<>(vcpus);
        for (int v = 0; v < vcpus; v++) {
            placements.add(switch (this) {
                case REALTIME -> new VcpuPlacement(v, CpuSet.of(host[v % host.length]), false, SchedPolicy.FIFO, PRIORITY);
                case SWAPPED -> new VcpuPlacement(v, CpuSet.of(host[(v + 1) % host.length]), false, SchedPolicy.OTHER, 0);
                case FLOATING -> new VcpuPlacement(v, cpus, false, SchedPolicy.OTHER, 0);
            });
        }
        Optional<RealtimePlan> realtime = this == REALTIME
                ? Optional.of(new RealtimePlan(CpuSet.range(0, vcpus - 1), SchedPolicy.FIFO, PRIORITY))
                : Optional.empty();
        return new TuningPlan(placements, realtime, new EmulatorPlacement(cpus, EmulatorRule.GUEST_PCPUS),
                OptionalInt.empty(), new MemoryPlan(false, false), Optional.empty(), Optional.empty(),
                List.of(new Reason("benchmark plan '" + name().toLowerCase() + "'",
                        "benchmarks/compare-apply.sh alternates plans so that every apply changes every vCPU")));
    }
}
