package io.kvmtune.core.plan;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.topology.Core;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.core.topology.NodeMemory;
import io.kvmtune.core.topology.NumaNode;

/**
 * What the planner needs to know about one host, computed once per topology and host policy so
 * that each plan only does word-wide bit arithmetic and short array walks: per NUMA node (Nova's
 * host cell), the CPUs pinned vCPUs may get as a bit mask, its shared CPUs, and its cores' sibling
 * threads in core order, as Nova's {@code NUMACell.siblings} lists them.
 *
 * <p>Free pCPUs are passed around as a mutable {@code long[]} mask owned by one plan call, so
 * nothing here holds per-plan state and one index serves concurrent plans.
 */
final class HostIndex {

    /** Mask length in 64-bit words, enough for the highest online CPU. */
    final int words;
    /** The CPUs pinned vCPUs may get ({@link NovaCpuSets#dedicated}), as a mask. */
    final long[] dedicatedOnline;
    final int nodeCount;
    final int[] nodeIds;
    /** Per node: its CPUs for pinned vCPUs (the cell's {@code pcpuset}). */
    final long[][] nodeDedicated;
    final int[] nodeDedicatedCount;
    /** Per node: the cell's shared CPUs ({@code cpuset}), possibly empty. */
    final CpuSet[] nodeShared;
    /**
     * Per node: the threads of each core that guests may use (shared or dedicated), ascending,
     * cores in order (by lowest thread); cores with no such thread are left out.
     */
    final int[][][] siblings;
    /** Per node: Nova's {@code threads_per_core}, the largest sibling set (1 without SMT). */
    final int[] threadsPerCore;
    /** Per node: whether the cell's dedicated and shared CPUs differ (not a legacy cell). */
    final boolean[] nodeSplit;
    /** Per node: its memory and page pools, or null when not known. */
    final NodeMemory[] nodeMemory;
    /** Whether every node's memory is known (Nova orders host cells by memory only then). */
    final boolean memoryKnown;
    /** The host's shared CPUs for guests without a NUMA topology, possibly empty. */
    final CpuSet hostShared;
    final NovaCpuSets sets;
    /**
     * {@code CpuSet.of(cpu)} for every dedicated CPU, shared by all plans (sets are immutable): a
     * pinned vCPU's set on a 512-CPU host is otherwise an 8-word array per vCPU per plan.
     */
    private final CpuSet[] singletons;

    HostIndex(HostPolicy policy, HostTopology topology) {
        CpuSet online = topology.online();
        sets = NovaCpuSets.of(policy, online);
        words = (online.last() >>> 6) + 1;
        CpuSet dedicated = sets.dedicated();
        dedicatedOnline = dedicated.toMask(words);
        singletons = new CpuSet[words << 6];
        dedicated.forEach(cpu -> singletons[cpu] = CpuSet.of(cpu));
        hostShared = sets.shared();
        CpuSet usable = hostShared.union(dedicated);
        nodeCount = topology.nodes().size();
        nodeIds = new int[nodeCount];
        nodeDedicated = new long[nodeCount][];
        nodeDedicatedCount = new int[nodeCount];
        nodeShared = new CpuSet[nodeCount];
        siblings = new int[nodeCount][][];
        threadsPerCore = new int[nodeCount];
        nodeSplit = new boolean[nodeCount];
        nodeMemory = new NodeMemory[nodeCount];
        boolean allKnown = true;
        for (int n = 0; n < nodeCount; n++) {
            NumaNode node = topology.nodes().get(n);
            nodeIds[n] = node.id();
            nodeMemory[n] = node.memory().orElse(null);
            allKnown &= nodeMemory[n] != null;
            CpuSet nodeDed = node.cpus().intersect(dedicated);
            nodeDedicated[n] = nodeDed.toMask(words);
            nodeDedicatedCount[n] = nodeDed.size();
            nodeShared[n] = hostShared.intersect(node.cpus());
            nodeSplit[n] = !nodeDed.equals(nodeShared[n]);
            CpuSet nodeUsable = node.cpus().intersect(usable);
            int[][] sibs = new int[topology.cores().size()][];
            int c = 0;
            int widest = 1;
            for (Core core : topology.cores()) {
                CpuSet threads = core.threads().intersect(nodeUsable);
                if (!threads.isEmpty()) {
                    sibs[c++] = threads.stream().toArray();
                    widest = Math.max(widest, threads.size());
                }
            }
            siblings[n] = java.util.Arrays.copyOf(sibs, c);
            threadsPerCore[n] = widest;
        }
        memoryKnown = allKnown;
    }

    /** The set holding only dedicated CPU {@code cpu}. */
    CpuSet single(int cpu) {
        return singletons[cpu];
    }

    /** A fresh free mask: dedicated online pCPUs not in {@code claimed}. */
    long[] freeMask(CpuSet claimed) {
        long[] free = claimed.toMask(words);
        for (int i = 0; i < words; i++) {
            free[i] = dedicatedOnline[i] & ~free[i];
        }
        return free;
    }

    int freeThreads(long[] free, int node) {
        long[] ded = nodeDedicated[node];
        int count = 0;
        for (int i = 0; i < words; i++) {
            count += Long.bitCount(free[i] & ded[i]);
        }
        return count;
    }

    /**
     * Nova's {@code free_siblings}: each core's free threads (dedicated, unclaimed), ascending,
     * in core order; cores with none are left out.
     */
    int[][] freeSiblings(long[] free, int node) {
        int[][] sibs = siblings[node];
        int[][] out = new int[sibs.length][];
        int c = 0;
        for (int[] core : sibs) {
            int k = 0;
            int[] threads = new int[core.length];
            for (int cpu : core) {
                if (isSet(free, cpu)) {
                    threads[k++] = cpu;
                }
            }
            if (k > 0) {
                out[c++] = k == core.length ? threads : java.util.Arrays.copyOf(threads, k);
            }
        }
        return java.util.Arrays.copyOf(out, c);
    }

    /** Cores of {@code node} whose every usable thread is free: what {@code isolate} can use. */
    int wholeFreeCores(long[] free, int node) {
        int count = 0;
        for (int[] core : freeSiblings(free, node)) {
            if (core.length == threadsPerCore[node]) {
                count++;
            }
        }
        return count;
    }

    static boolean isSet(long[] mask, int cpu) {
        return (mask[cpu >>> 6] & (1L << cpu)) != 0;
    }
}
