package io.kvmtune.hostprep.check;

import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.RtThrottling;
import io.kvmtune.hostprep.inventory.RtThrottling.FairServer;
import io.kvmtune.hostprep.inventory.RtThrottling.RtBudget;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.sys.KernelVersion;
import io.kvmtune.hostprep.sys.TaskInfo;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Can a SCHED_FIFO vCPU run, and run without being throttled or starving the kernel work its
 * CPU still needs?
 */
final class RealtimeChecks {

    /** Per-CPU kthreads realtime-virtual-host raises to FIFO so a FIFO vCPU cannot starve them. */
    private static final Pattern PER_CPU_KTHREAD = Pattern.compile("^(ksoftirqd|ktimers|rcuc)/(\\d+)$");

    private RealtimeChecks() {
    }

    static List<ReadinessCheck> all() {
        return List.of(
                new ReadinessCheck("kernel.preempt-rt", "the kernel is PREEMPT_RT", RealtimeChecks::preemptRt),
                new ReadinessCheck("rt.throttling", "RT throttling does not cut RT vCPUs short", RealtimeChecks::throttling),
                new ReadinessCheck("rt.fair-server", "ordinary tasks keep CPU time beside a spinning RT vCPU (6.12+)",
                        RealtimeChecks::fairServer),
                new ReadinessCheck("rt.group-sched", "cgroups leave RT budget for SCHED_FIFO vCPUs",
                        RealtimeChecks::groupSched),
                new ReadinessCheck("rt.kthread-priority", "per-CPU kthreads on dedicated CPUs outrank FIFO vCPUs",
                        RealtimeChecks::kthreads));
    }

    private static Outcome preemptRt(HostInventory inv, Partition p) {
        Evidence version = Evidence.of(inv.kernel().procVersion());
        if (inv.kernel().preemptRt()) {
            return Outcome.pass("PREEMPT_RT", version, Evidence.of(inv.kernel().realtimeFile()));
        }
        if (inv.kernel().procVersion().value().isEmpty()) {
            return Outcome.unreadable(inv.kernel().procVersion());
        }
        return Outcome.warn("preemption model " + inv.kernel().preemption()
                        + ": non-preemptible kernel sections bound the worst case to hundreds of microseconds",
                "boot a PREEMPT_RT kernel (CONFIG_PREEMPT_RT=y, mainline since 6.12)", version,
                Evidence.of(inv.kernel().dynamicPreempt()));
    }

    private static Outcome throttling(HostInventory inv, Partition p) {
        RtThrottling rt = inv.rt();
        if (rt.runtimeUs().value().isEmpty()) {
            return Outcome.unreadable(rt.runtimeUs());
        }
        long runtime = rt.runtimeUs().value().get();
        Evidence ev = Evidence.of(rt.runtimeUs());
        if (runtime < 0) {
            if (hasFairServer(rt)) {
                return Outcome.pass("unlimited; the fair server still reserves time for ordinary tasks", ev,
                        Evidence.of(rt.fairServer()));
            }
            return Outcome.warn("unlimited with no fair server: a spinning FIFO vCPU can starve ksoftirqd, rcuc and "
                            + "kworkers on its CPU (RCU stalls, hung tasks)",
                    "raise per-CPU kthreads to FIFO (see rt.kthread-priority) or run stalld", ev);
        }
        long period = rt.periodUs().value().orElse(1_000_000L);
        return Outcome.warn("RT tasks are throttled after " + runtime + " of every " + period
                        + " us: an RT vCPU that spins loses the rest of each period",
                "sysctl kernel.sched_rt_runtime_us=-1 (kvmtune hostprep apply)", ev, Evidence.of(rt.periodUs()));
    }

    private static boolean hasFairServer(RtThrottling rt) {
        return rt.fairServer().value().map(l -> !l.isEmpty() && l.stream().allMatch(f -> f.runtimeNs() > 0)).orElse(false);
    }

    private static Outcome fairServer(HostInventory inv, Partition p) {
        Optional<KernelVersion> v = inv.kernel().version().value();
        Fact<List<FairServer>> fs = inv.rt().fairServer();
        if (v.isPresent() && !v.get().atLeast(6, 12)) {
            return Outcome.unsupported("kernel " + v.get() + " predates the fair server (6.12); RT throttling "
                    + "(rt.throttling) is what protects ordinary tasks", null, Evidence.of(inv.kernel().version()));
        }
        if (fs.value().isEmpty()) {
            return Outcome.unsupported(fs.path() + " is not readable (" + fs.describe() + ")",
                    "mount -t debugfs none /sys/kernel/debug", Evidence.of(fs));
        }
        List<FairServer> onDedicated = fs.value().get().stream().filter(f -> p.dedicated().contains(f.cpu())).toList();
        List<FairServer> off = onDedicated.stream().filter(f -> f.runtimeNs() == 0).toList();
        if (off.isEmpty()) {
            return Outcome.pass("fair server active on every dedicated CPU (" + describe(onDedicated) + ")", Evidence.of(fs));
        }
        boolean unlimited = inv.rt().runtimeUs().value().map(r -> r < 0).orElse(false);
        String finding = "fair server disabled on CPUs " + off.stream().map(f -> String.valueOf(f.cpu())).toList();
        String remedy = "echo 50000000 > /sys/kernel/debug/sched/fair_server/cpuN/runtime (5% of the 1 s period)";
        return unlimited
                ? Outcome.fail(finding + " while sched_rt_runtime_us=-1: nothing stops a FIFO vCPU starving kthreads",
                        remedy, Evidence.of(fs), Evidence.of(inv.rt().runtimeUs()))
                : Outcome.warn(finding, remedy, Evidence.of(fs));
    }

    private static String describe(List<FairServer> servers) {
        return servers.isEmpty() ? "none listed"
                : servers.getFirst().runtimeNs() + "/" + servers.getFirst().periodNs() + " ns";
    }

    private static Outcome groupSched(HostInventory inv, Partition p) {
        RtThrottling rt = inv.rt();
        Fact<Boolean> on = rt.rtGroupSched();
        if (on.value().isEmpty()) {
            return Outcome.unreadable(on);
        }
        if (!on.value().get()) {
            return Outcome.pass("RT group scheduling is not in force: cgroups do not limit SCHED_FIFO", Evidence.of(on));
        }
        String remedy = "boot with rt_group_sched=0 (6.16+) or a kernel without CONFIG_RT_GROUP_SCHED; otherwise give "
                + "every cpu cgroup from the root down to each vCPU a cpu.rt_runtime_us budget before setting FIFO";
        if (!inv.cgroups().v1Mounts().containsKey("cpu")) {
            return Outcome.fail("RT group scheduling with no cgroup v1 cpu hierarchy: cgroup v2 has no RT budget, so "
                    + "sched_setscheduler(SCHED_FIFO) fails with EPERM for any task outside the root cgroup", remedy,
                    Evidence.of(on));
        }
        List<RtBudget> starved = rt.budgets().stream()
                .filter(b -> b.cgroup().contains("machine") && b.runtimeUs() == 0)
                .toList();
        if (!starved.isEmpty()) {
            RtBudget first = starved.getFirst();
            return Outcome.fail(starved.size() + " libvirt cpu cgroup(s) have cpu.rt_runtime_us=0, first " + first.cgroup()
                            + ": SCHED_FIFO for their threads fails with EPERM",
                    "kvmtune hostprep apply (RT budget of the machine group), then kvmtune apply budgets per guest; or "
                            + remedy, Evidence.of(on), new Evidence(first.path(), "0"));
        }
        return Outcome.warn("RT group scheduling is in force: libvirt creates each guest's cpu cgroups with "
                + "cpu.rt_runtime_us=0, so SCHED_FIFO needs budgets allotted top-down", remedy, Evidence.of(on));
    }

    private static Outcome kthreads(HostInventory inv, Partition p) {
        List<TaskInfo> weak = inv.tasks().stream()
                .filter(TaskInfo::isKernelThread)
                .filter(t -> {
                    var m = PER_CPU_KTHREAD.matcher(t.comm());
                    return m.matches() && p.dedicated().contains(Integer.parseInt(m.group(2)));
                })
                .filter(t -> t.schedPolicy().map(s -> !s.isRealtime()).orElse(true))
                .toList();
        Evidence ev = new Evidence("/proc/<pid>/stat (fields 40-41)", weak.isEmpty() ? "all FIFO or absent"
                : weak.stream().limit(8).map(t -> t.comm() + ":" + t.policyLabel()).toList().toString());
        if (weak.isEmpty()) {
            return Outcome.pass("no per-CPU ksoftirqd/ktimers/rcuc kthread on a dedicated CPU runs below FIFO", ev);
        }
        return Outcome.warn(weak.size() + " per-CPU kthread(s) on dedicated CPUs run SCHED_OTHER: a FIFO vCPU that never "
                        + "sleeps starves them (softirqs, timers, RCU callbacks stall)",
                "chrt -f -p 2 <pid> for ksoftirqd/N and ktimers/N, chrt -f -p 4 <pid> for rcuc/N (tuned "
                        + "realtime-virtual-host does this)", ev);
    }
}
