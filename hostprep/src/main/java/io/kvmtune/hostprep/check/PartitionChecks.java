package io.kvmtune.hostprep.check;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.inventory.CpuTopology;
import io.kvmtune.hostprep.inventory.HostInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Is the partition itself sound for this machine's topology? */
final class PartitionChecks {

    private PartitionChecks() {
    }

    static List<ReadinessCheck> all() {
        return List.of(
                new ReadinessCheck("partition.dedicated", "dedicated CPUs are configured", PartitionChecks::dedicated),
                new ReadinessCheck("partition.disjoint", "dedicated and housekeeping sets do not overlap",
                        PartitionChecks::disjoint),
                new ReadinessCheck("partition.online", "every partition CPU is online", PartitionChecks::online),
                new ReadinessCheck("partition.housekeeping-per-node",
                        "each NUMA node with dedicated CPUs keeps a housekeeping CPU", PartitionChecks::perNode),
                new ReadinessCheck("partition.smt-siblings", "no dedicated CPU shares its core with a housekeeping CPU",
                        PartitionChecks::siblings));
    }

    private static Evidence partitionEvidence(Partition p) {
        return new Evidence("partition", "dedicated=" + p.dedicated() + " housekeeping=" + p.housekeeping());
    }

    private static Outcome dedicated(HostInventory inv, Partition p) {
        if (!p.dedicated().isEmpty()) {
            return Outcome.pass("dedicated " + p.dedicated(), partitionEvidence(p));
        }
        // The checks about dedicated CPUs below then have none to look at: their verdicts hold for
        // the host-wide settings only.
        return Outcome.fail("no dedicated CPUs: the checks about them have nothing to check",
                "give --dedicated SET or set [compute] cpu_dedicated_set in the host configuration", partitionEvidence(p));
    }

    private static Outcome disjoint(HostInventory inv, Partition p) {
        CpuSet both = p.dedicated().intersect(p.housekeeping());
        if (both.isEmpty()) {
            return Outcome.pass("disjoint", partitionEvidence(p));
        }
        return Outcome.fail("CPUs " + both + " are both dedicated and housekeeping: pinned vCPUs would share them",
                "[compute] cpu_shared_set = " + p.housekeeping().minus(both), partitionEvidence(p));
    }

    private static Outcome online(HostInventory inv, Partition p) {
        var online = inv.topology().online();
        if (online.value().isEmpty()) {
            return Outcome.unreadable(online);
        }
        CpuSet missing = p.dedicated().union(p.housekeeping()).minus(online.value().get());
        if (missing.isEmpty()) {
            return Outcome.pass("all online", Evidence.of(online), partitionEvidence(p));
        }
        return Outcome.fail("CPUs " + missing + " are not online", "echo 1 > /sys/devices/system/cpu/cpuN/online "
                + "for each, or drop them from the partition", Evidence.of(online), partitionEvidence(p));
    }

    private static Outcome perNode(HostInventory inv, Partition p) {
        List<String> bare = new ArrayList<>();
        for (Map.Entry<Integer, CpuSet> node : inv.topology().nodes().entrySet()) {
            if (node.getValue().intersects(p.dedicated()) && !node.getValue().intersects(p.housekeeping())) {
                bare.add("node" + node.getKey() + " (" + node.getValue() + ")");
            }
        }
        Evidence nodes = new Evidence("/sys/devices/system/node", inv.topology().nodes().toString());
        if (bare.isEmpty()) {
            return Outcome.pass("every node with dedicated CPUs has a housekeeping CPU", nodes, partitionEvidence(p));
        }
        return Outcome.warn("no housekeeping CPU on " + String.join(", ", bare)
                        + ": that node's kernel work (per-node kthreads, device IRQs) runs remotely or on dedicated CPUs",
                "move one CPU of each such node from cpu_dedicated_set to cpu_shared_set", nodes, partitionEvidence(p));
    }

    private static Outcome siblings(HostInventory inv, Partition p) {
        CpuTopology t = inv.topology();
        List<String> shared = new ArrayList<>();
        p.dedicated().forEach(cpu -> {
            CpuSet outside = t.siblingsOf(cpu).minus(p.dedicated());
            if (!outside.isEmpty()) {
                shared.add(cpu + "~" + outside);
            }
        });
        Evidence evidence = new Evidence("/sys/devices/system/cpu/cpuN/topology/thread_siblings_list",
                t.cores().toString());
        if (shared.isEmpty()) {
            return Outcome.pass("dedicated CPUs own whole cores", evidence);
        }
        return Outcome.warn("dedicated CPUs share cores with non-dedicated siblings: " + String.join(" ", shared)
                        + " (the sibling's load steals execution units and cache from the vCPU)",
                "dedicate whole cores (add the siblings to cpu_dedicated_set), or disable SMT: "
                        + "echo off > /sys/devices/system/cpu/smt/control", evidence);
    }
}
