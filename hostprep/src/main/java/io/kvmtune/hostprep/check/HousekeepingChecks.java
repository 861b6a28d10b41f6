package io.kvmtune.hostprep.check;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.MemoryInfo.HugePagePool;
import io.kvmtune.hostprep.sys.Fact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Kernel background work and memory settings that interrupt dedicated CPUs: workqueues,
 * the sysctls of tuned's network-latency/realtime profiles, THP, KSM, huge pages.
 */
final class HousekeepingChecks {

    private HousekeepingChecks() {
    }

    static List<ReadinessCheck> all() {
        return List.of(
                new ReadinessCheck("workqueue.cpumask", "unbound workqueues stay on housekeeping CPUs",
                        HousekeepingChecks::workqueue),
                sysctl("kernel.timer_migration", v -> v == 0, "0", "timers migrate to busy CPUs, including dedicated ones"),
                sysctl("vm.stat_interval", v -> v >= 10, "10", "vmstat work wakes every CPU each second"),
                sysctl("kernel.numa_balancing", v -> v == 0, "0", "NUMA balancing unmaps guest memory to sample it"),
                sysctl("kernel.nmi_watchdog", v -> v == 0, "0", "the NMI watchdog fires a perf NMI on every CPU"),
                sysctl("kernel.hung_task_timeout_secs", v -> v == 0 || v >= 600, "600",
                        "starved housekeeping tasks are reported as hung"),
                new ReadinessCheck("memory.thp", "transparent huge pages are off", HousekeepingChecks::thp),
                new ReadinessCheck("memory.ksm", "KSM is not merging pages", HousekeepingChecks::ksm),
                new ReadinessCheck("memory.hugepages", "each node with dedicated CPUs has huge pages reserved",
                        HousekeepingChecks::hugepages));
    }

    private static Outcome workqueue(HostInventory inv, Partition p) {
        Fact<CpuSet> mask = inv.workqueues().cpumask();
        if (mask.value().isEmpty()) {
            return Outcome.unreadable(mask);
        }
        Fact<CpuSet> wb = inv.workqueues().writeback();
        CpuSet on = mask.value().get().union(wb.value().orElse(CpuSet.empty())).intersect(p.dedicated());
        if (on.isEmpty()) {
            return Outcome.pass("workqueue cpumask " + mask.value().get(), Evidence.of(mask), Evidence.of(wb));
        }
        return Outcome.warn("unbound kworkers may run on " + on,
                "write the housekeeping mask to " + mask.path() + " and " + wb.path() + " (kvmtune hostprep apply)",
                Evidence.of(mask), Evidence.of(wb));
    }

    private static ReadinessCheck sysctl(String name, LongPredicate good, String wanted, String why) {
        return new ReadinessCheck("sysctl." + name, name + " as tuned's realtime profiles set it", (inv, p) -> {
            Fact<String> f = inv.sysctl(name);
            if (f.value().isEmpty()) {
                return Outcome.unreadable(f);
            }
            long v;
            try {
                v = Long.parseLong(f.value().get().strip());
            } catch (NumberFormatException e) {
                return Outcome.unsupported("unexpected value '" + f.value().get() + "'", null, Evidence.of(f));
            }
            return good.test(v)
                    ? Outcome.pass(name + " = " + v, Evidence.of(f))
                    : Outcome.warn(name + " = " + v + ": " + why, "sysctl " + name + "=" + wanted
                            + " (kvmtune hostprep apply)", Evidence.of(f));
        });
    }

    private static Outcome thp(HostInventory inv, Partition p) {
        Fact<String> thp = inv.memory().thpEnabled();
        if (thp.value().isEmpty()) {
            return Outcome.unreadable(thp);
        }
        return thp.value().get().equals("never")
                ? Outcome.pass("never", Evidence.of(thp))
                : Outcome.warn("THP is '" + thp.value().get() + "': khugepaged and compaction stall guest memory accesses",
                        "echo never > " + thp.path() + " (kvmtune hostprep apply); back guests with explicit huge pages",
                        Evidence.of(thp));
    }

    private static Outcome ksm(HostInventory inv, Partition p) {
        Fact<String> run = inv.memory().ksmRun();
        if (run.value().isEmpty()) {
            return run instanceof Fact.Unknown<?> u && u.absent()
                    ? Outcome.pass("kernel built without KSM", Evidence.of(run))
                    : Outcome.unreadable(run);
        }
        return run.value().get().equals("1")
                ? Outcome.warn("ksmd is merging pages: copy-on-write faults and scanning hit guests",
                        "echo 2 > " + run.path() + " (stop and unmerge)", Evidence.of(run))
                : Outcome.pass("ksm run = " + run.value().get(), Evidence.of(run));
    }

    private static Outcome hugepages(HostInventory inv, Partition p) {
        List<String> bare = new ArrayList<>();
        for (Map.Entry<Integer, CpuSet> node : inv.topology().nodes().entrySet()) {
            if (!node.getValue().intersects(p.dedicated())) {
                continue;
            }
            long reserved = inv.memory().hugePages().stream()
                    .filter(h -> h.node() == node.getKey())
                    .mapToLong(HugePagePool::total)
                    .sum();
            if (reserved == 0) {
                bare.add("node" + node.getKey());
            }
        }
        Evidence e = new Evidence("/sys/devices/system/node/nodeN/hugepages/*/nr_hugepages",
                inv.memory().hugePages().stream().map(h -> "node" + h.node() + ":" + h.sizeKb() + "kB=" + h.total()).toList().toString());
        if (bare.isEmpty()) {
            return Outcome.pass("huge pages reserved on every node with dedicated CPUs", e);
        }
        return Outcome.warn("no huge pages reserved on " + String.join(", ", bare)
                        + ": guests get 4 KiB pages (TLB misses, page-table walks on every exit)",
                "boot with default_hugepagesz=1G hugepagesz=1G hugepages=N, or echo N > "
                        + "/sys/devices/system/node/nodeX/hugepages/hugepages-1048576kB/nr_hugepages", e);
    }
}
