package io.kvmtune.core.topology;

import io.kvmtune.core.cpu.CpuSet;
import java.util.List;

/**
 * The CPU layout of a host as the planner sees it: which CPUs are online, how they group into
 * NUMA nodes and into cores of SMT sibling threads, and the architecture.
 *
 * <p>Read from sysfs ({@link SysfsTopologyReader}) or declared in JSON ({@link DeclaredTopology}).
 * The constructor checks that nodes and cores each partition the online CPUs and that no core
 * spans two nodes, so the planner can rely on it.
 *
 * @param arch the host architecture, {@code uname -m} spelling ({@code x86_64}, {@code aarch64})
 * @param online the online CPUs
 * @param nodes the NUMA nodes, sorted by id; a host without NUMA has one node 0
 * @param cores the cores, sorted by their lowest thread
 */
public record HostTopology(String arch, CpuSet online, List<NumaNode> nodes, List<Core> cores) {

    public HostTopology {
        // not Comparator.comparingInt: serializable lambdas, which the JDK's AOT cache cannot keep
        // (spinning them costs the libvirt hook's prepare a few ms of its start)
        nodes = nodes.stream().sorted((a, b) -> Integer.compare(a.id(), b.id())).toList();
        cores = cores.stream().sorted((a, b) -> Integer.compare(a.threads().first(), b.threads().first())).toList();
        if (online.isEmpty()) {
            throw new IllegalArgumentException("a host needs at least one online CPU");
        }
        CpuSet seen = CpuSet.empty();
        for (int i = 0; i < nodes.size(); i++) {
            NumaNode node = nodes.get(i);
            if (i > 0 && nodes.get(i - 1).id() == node.id()) {
                throw new IllegalArgumentException("NUMA node " + node.id() + " is listed twice");
            }
            if (!node.distances().isEmpty() && node.distances().size() != nodes.size()) {
                throw new IllegalArgumentException("node " + node.id() + " lists " + node.distances().size()
                        + " distances for " + nodes.size() + " nodes");
            }
            requireUnseenOnline("node " + node.id(), node.cpus(), seen, online);
            seen = seen.union(node.cpus());
        }
        requireAll("the NUMA nodes", seen, online);
        seen = CpuSet.empty();
        for (Core core : cores) {
            requireUnseenOnline("core " + core.threads(), core.threads(), seen, online);
            seen = seen.union(core.threads());
            long nodesHoldingIt = nodes.stream().filter(n -> n.cpus().intersects(core.threads())).count();
            if (nodesHoldingIt != 1) {
                throw new IllegalArgumentException("core " + core.threads() + " spans " + nodesHoldingIt + " NUMA nodes");
            }
        }
        requireAll("the cores", seen, online);
    }

    /** The node holding online CPU {@code cpu}. */
    public NumaNode nodeOf(int cpu) {
        for (NumaNode node : nodes) {
            if (node.cpus().contains(cpu)) {
                return node;
            }
        }
        throw new IllegalArgumentException("CPU " + cpu + " is not online");
    }

    /** Whether any core has more than one online thread. */
    public boolean hasSmt() {
        return cores.stream().anyMatch(c -> c.threads().size() > 1);
    }

    private static void requireUnseenOnline(String what, CpuSet cpus, CpuSet seen, CpuSet online) {
        if (!online.containsAll(cpus)) {
            throw new IllegalArgumentException(what + " holds CPUs " + cpus.minus(online) + " that are not online");
        }
        if (seen.intersects(cpus)) {
            throw new IllegalArgumentException(what + " repeats CPUs " + cpus.intersect(seen));
        }
    }

    private static void requireAll(String what, CpuSet covered, CpuSet online) {
        if (!covered.equals(online)) {
            throw new IllegalArgumentException(what + " leave online CPUs " + online.minus(covered) + " out");
        }
    }
}
