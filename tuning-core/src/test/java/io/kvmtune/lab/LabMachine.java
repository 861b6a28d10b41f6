package io.kvmtune.lab;

import io.kvmtune.core.cpu.CpuSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The virtual hardware a lab kernel boots on: a socket/core/thread topology split into NUMA
 * nodes, as a test chooses it.
 *
 * @param sockets sockets
 * @param cores cores per socket
 * @param threads threads per core
 * @param nodes the CPUs of each NUMA node, in node order; together exactly all CPUs
 * @param memoryMb memory, split evenly over the nodes
 */
record LabMachine(int sockets, int cores, int threads, List<CpuSet> nodes, int memoryMb) {

    LabMachine {
        nodes = List.copyOf(nodes);
        CpuSet all = CpuSet.empty();
        for (CpuSet node : nodes) {
            if (all.intersects(node)) {
                throw new IllegalArgumentException("NUMA nodes overlap: " + nodes);
            }
            all = all.union(node);
        }
        int cpus = sockets * cores * threads;
        if (!all.equals(CpuSet.firstN(cpus))) {
            throw new IllegalArgumentException("NUMA nodes " + nodes + " must cover CPUs 0-" + (cpus - 1));
        }
    }

    /**
     * Two sockets, two cores each, two threads per core, one node per socket: the SMT + NUMA host.
     * 4 GiB: the test JVM, a child JVM of the kill-and-restore tests and a nested QEMU run at once.
     */
    static LabMachine twoSocketSmt() {
        return new LabMachine(2, 2, 2, List.of(CpuSet.range(0, 3), CpuSet.range(4, 7)), 4096);
    }

    int cpus() {
        return sockets * cores * threads;
    }

    /** The qemu-system-x86_64 options that build this machine. */
    List<String> qemuArgs() {
        List<String> args = new ArrayList<>(List.of(
                // An Intel vendor and CPUID level 0xd make QEMU expose leaf 0xB, without which the guest
                // kernel sees no SMT siblings (thread_siblings_list would list one CPU each).
                "-cpu", "qemu64,vendor=GenuineIntel,level=0xd",
                "-smp", cpus() + ",sockets=" + sockets + ",cores=" + cores + ",threads=" + threads,
                "-m", Integer.toString(memoryMb)));
        int perNode = memoryMb / nodes.size();
        for (int i = 0; i < nodes.size(); i++) {
            args.addAll(List.of("-object", "memory-backend-ram,id=mem" + i + ",size=" + perNode + "M",
                    "-numa", "node,nodeid=" + i + ",cpus=" + nodes.get(i).format() + ",memdev=mem" + i));
        }
        return args;
    }
}
