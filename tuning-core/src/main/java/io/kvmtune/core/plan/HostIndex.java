package io.kvmtune.core.plan;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.topology.Core;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.core.topology.NumaNode;
import java.util.Optional;

/**
 * What the planner needs to know about one host, computed once per topology and host policy so
 * that each plan only does word-wide bit arithmetic and short array walks: per NUMA node, the
 * dedicated CPUs as a bit mask, its cores' dedicated threads as flat int arrays in core order,
 * and its shared CPUs.
 *
 * <p>Free pCPUs are passed around as a mutable {@code long[]} mask owned by one plan call, so
 * nothing here holds per-plan state and one index serves concurrent plans.
 */
final class HostIndex {

    /** Mask length in 64-bit words, enough for the highest online CPU. */
    final int words;
    /** {@code cpu_dedicated_set ∩ online}, all zero when the set is not configured. */
    final long[] dedicatedOnline;
    final int nodeCount;
    final int[] nodeIds;
    /** Per node: its dedicated online CPUs. */
    final long[][] nodeDedicated;
    /** Per node: the cell's shared CPUs (nova-semantics §3), possibly empty. */
    final CpuSet[] nodeShared;
    /** Per node: whether one of its cores has two or more dedicated threads. */
    final boolean[] nodeSmt;
    /**
     * Per node: the dedicated threads of its cores, flattened in core order (cores by lowest thread,
     * threads ascending); core {@code c} is {@code coreThreads[n][coreStart[n][c] .. coreStart[n][c+1])}.
     * Cores with no dedicated thread are left out.
     */
    final int[][] coreThreads;
    final int[][] coreStart;
    /** The host's shared CPUs for guests without a NUMA topology, possibly empty. */
    final CpuSet hostShared;
    /**
     * {@code CpuSet.of(cpu)} for every dedicated CPU, shared by all plans (sets are immutable): a
     * pinned vCPU's set on a 512-CPU host is otherwise an 8-word array per vCPU per plan.
     */
    private final CpuSet[] singletons;

    HostIndex(HostPolicy policy, HostTopology topology) {
        CpuSet online = topology.online();
        words = (online.last() >>> 6) + 1;
        CpuSet dedicated = policy.dedicatedSet().map(online::intersect).orElse(CpuSet.empty());
        dedicatedOnline = dedicated.toMask(words);
        singletons = new CpuSet[words << 6];
        dedicated.forEach(cpu -> singletons[cpu] = CpuSet.of(cpu));
        hostShared = sharedCpus(policy, online);
        nodeCount = topology.nodes().size();
        nodeIds = new int[nodeCount];
        nodeDedicated = new long[nodeCount][];
        nodeShared = new CpuSet[nodeCount];
        nodeSmt = new boolean[nodeCount];
        coreThreads = new int[nodeCount][];
        coreStart = new int[nodeCount][];
        for (int n = 0; n < nodeCount; n++) {
            NumaNode node = topology.nodes().get(n);
            nodeIds[n] = node.id();
            CpuSet nodeDed = node.cpus().intersect(dedicated);
            nodeDedicated[n] = nodeDed.toMask(words);
            nodeShared[n] = hostShared.intersect(node.cpus());
            int[] threads = new int[nodeDed.size()];
            int[] starts = new int[threads.length + 1];
            int t = 0;
            int c = 0;
            for (Core core : topology.cores()) {
                CpuSet usable = core.threads().intersect(nodeDed);
                if (usable.isEmpty()) {
                    continue;
                }
                starts[c++] = t;
                nodeSmt[n] |= usable.size() > 1;
                for (int cpu = usable.first(); cpu >= 0; cpu = usable.nextSetBit(cpu + 1)) {
                    threads[t++] = cpu;
                }
            }
            starts[c] = t;
            coreThreads[n] = threads;
            coreStart[n] = java.util.Arrays.copyOf(starts, c + 1);
        }
    }

    /**
     * Nova's host cell "shared CPUs" before intersecting with a cell: {@code cpu_shared_set} if set,
     * none when only {@code cpu_dedicated_set} is set, else every online CPU.
     */
    private static CpuSet sharedCpus(HostPolicy policy, CpuSet online) {
        Optional<CpuSet> shared = policy.sharedSet();
        if (shared.isPresent()) {
            return shared.get().intersect(online);
        }
        return policy.dedicatedSet().isPresent() ? CpuSet.empty() : online;
    }

    /** The set holding only dedicated CPU {@code cpu}. */
    CpuSet single(int cpu) {
        return singletons[cpu];
    }

    int coreCount(int node) {
        return coreStart[node].length - 1;
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

    /** Cores of {@code node} whose every dedicated thread is free. */
    int wholeFreeCores(long[] free, int node) {
        int count = 0;
        for (int c = 0, cores = coreCount(node); c < cores; c++) {
            if (coreFree(free, node, c) == coreStart[node][c + 1] - coreStart[node][c]) {
                count++;
            }
        }
        return count;
    }

    /** Free threads of {@code node} that lie on cores with at least one used thread. */
    int freeThreadsOnPartialCores(long[] free, int node) {
        int count = 0;
        for (int c = 0, cores = coreCount(node); c < cores; c++) {
            int f = coreFree(free, node, c);
            if (f < coreStart[node][c + 1] - coreStart[node][c]) {
                count += f;
            }
        }
        return count;
    }

    private int coreFree(long[] free, int node, int core) {
        int[] threads = coreThreads[node];
        int count = 0;
        for (int t = coreStart[node][core], end = coreStart[node][core + 1]; t < end; t++) {
            if (isSet(free, threads[t])) {
                count++;
            }
        }
        return count;
    }

    /**
     * Takes {@code count} free pCPUs of {@code node} into {@code out[from..]}, marking them used in
     * {@code free}. Walks cores in order and fills each core's free sibling threads before the next
     * (prefer, require, no policy). With {@code wholeCores} (isolate) only entirely free cores are
     * used, one thread each, and their other threads are marked used and added to {@code reserved}.
     * The caller has checked that the node has room.
     */
    void pack(long[] free, int node, int count, boolean wholeCores, int[] out, int from, long[] reserved) {
        int[] threads = coreThreads[node];
        int[] starts = coreStart[node];
        int placed = 0;
        for (int c = 0, cores = coreCount(node); c < cores && placed < count; c++) {
            int begin = starts[c];
            int end = starts[c + 1];
            if (wholeCores) {
                if (coreFree(free, node, c) != end - begin) {
                    continue;
                }
                out[from + placed++] = threads[begin];
                for (int t = begin; t < end; t++) {
                    clear(free, threads[t]);
                    if (t > begin) {
                        reserved[threads[t] >>> 6] |= 1L << threads[t];
                    }
                }
            } else {
                for (int t = begin; t < end && placed < count; t++) {
                    if (isSet(free, threads[t])) {
                        out[from + placed++] = threads[t];
                        clear(free, threads[t]);
                    }
                }
            }
        }
        if (placed != count) {
            throw new IllegalStateException("node " + nodeIds[node] + " had room for " + placed + " of " + count);
        }
    }

    /**
     * The first free pCPU of {@code node} in core order, marked used; Nova's choice of the
     * {@code isolate} emulator pCPU once the vCPUs are pinned. -1 when none is free.
     */
    int takeFirstFree(long[] free, int node) {
        for (int cpu : coreThreads[node]) {
            if (isSet(free, cpu)) {
                clear(free, cpu);
                return cpu;
            }
        }
        return -1;
    }

    private static boolean isSet(long[] mask, int cpu) {
        return (mask[cpu >>> 6] & (1L << cpu)) != 0;
    }

    private static void clear(long[] mask, int cpu) {
        mask[cpu >>> 6] &= ~(1L << cpu);
    }
}
