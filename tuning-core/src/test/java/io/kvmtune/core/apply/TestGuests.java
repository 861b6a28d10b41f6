package io.kvmtune.core.apply;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.EmulatorPlacement;
import io.kvmtune.core.plan.EmulatorRule;
import io.kvmtune.core.plan.MemoryPlan;
import io.kvmtune.core.plan.RealtimePlan;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import io.kvmtune.linux.SchedPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Plans and guests for unit tests: a 4-vCPU guest with pid 100, vCPU threads 101..104 and three emulator threads. */
public final class TestGuests {

    public static final int PID = 100;

    private TestGuests() {
    }

    /** pid 100 (main loop), vCPUs 0..n-1 as tids 101.., then call_rcu and a worker. */
    public static QemuGuest guest(int vcpus) {
        List<QemuThread> threads = new ArrayList<>();
        for (int i = 0; i < vcpus; i++) {
            threads.add(new QemuThread(new ThreadIdentity(PID + 1 + i, 5000 + i), "CPU " + i + "/KVM", new ThreadRole.Vcpu(i)));
        }
        threads.add(new QemuThread(new ThreadIdentity(PID, 4000), "qemu-system-x86", new ThreadRole.Emulator()));
        threads.add(new QemuThread(new ThreadIdentity(PID + 1 + vcpus, 6000), "call_rcu", new ThreadRole.Emulator()));
        threads.add(new QemuThread(new ThreadIdentity(PID + 2 + vcpus, 6001), "worker", new ThreadRole.Emulator()));
        return new QemuGuest(threads.stream().filter(t -> t.tid() == PID).findFirst().orElseThrow().identity(),
                Optional.of("x"), threads);
    }

    /** Each thread of {@code guest} added to {@code control} with affinity {@code cpus} under SCHED_OTHER. */
    public static InMemoryThreadControl threads(QemuGuest guest, CpuSet online) {
        InMemoryThreadControl control = new InMemoryThreadControl(online);
        guest.threads().forEach(t -> control.add(t.tid(), t.identity().startTime(), online, SchedSettings.normal()));
        return control;
    }

    /**
     * vCPU {@code i} pinned to pCPU {@code firstPcpu + i}; all but vCPU 0 realtime (fifo:1, Nova's
     * default mask {@code ^0}); emulator threads on {@code emulator}.
     */
    public static TuningPlan realtimePlan(int vcpus, int firstPcpu, CpuSet emulator, boolean lockMemory) {
        List<VcpuPlacement> placements = new ArrayList<>();
        for (int i = 0; i < vcpus; i++) {
            boolean rt = i > 0;
            placements.add(new VcpuPlacement(i, CpuSet.of(firstPcpu + i), true, rt ? SchedPolicy.FIFO : SchedPolicy.OTHER,
                    rt ? 1 : 0));
        }
        return new TuningPlan(placements, Optional.of(new RealtimePlan(CpuSet.range(1, vcpus - 1), SchedPolicy.FIFO, 1)),
                new EmulatorPlacement(emulator, EmulatorRule.NON_REALTIME_VCPUS), OptionalInt.empty(),
                new MemoryPlan(lockMemory, lockMemory), Optional.empty(), Optional.empty(), List.of());
    }

    /**
     * A realtime plan for a small host: vCPU {@code i} pinned to the {@code i}-th CPU of
     * {@code hostCpus} (round robin, so 4 vCPUs fit a 2-CPU machine), all but vCPU 0 fifo:1.
     */
    public static TuningPlan realtimePlanOn(int vcpus, CpuSet hostCpus, CpuSet emulator) {
        int[] cpus = hostCpus.toArray();
        TuningPlan plan = realtimePlan(vcpus, 0, emulator, false);
        for (int i = 0; i < vcpus; i++) {
            plan = moved(plan, i, cpus[i % cpus.length]);
        }
        return plan;
    }

    /** The same plan with vCPU {@code vcpu} moved to {@code pcpu}. */
    public static TuningPlan moved(TuningPlan plan, int vcpu, int pcpu) {
        List<VcpuPlacement> placements = new ArrayList<>(plan.vcpus());
        VcpuPlacement p = placements.get(vcpu);
        placements.set(vcpu, new VcpuPlacement(vcpu, CpuSet.of(pcpu), p.pinned(), p.policy(), p.priority()));
        return new TuningPlan(placements, plan.realtime(), plan.emulator(), plan.isolatedEmulatorPcpu(), plan.memory(),
                plan.hpet(), plan.cpu(), plan.reasons());
    }
}
