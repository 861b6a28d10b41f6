package io.kvmtune.core.plan;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.CpuThreadPolicy;
import io.kvmtune.core.spec.EmulatorThreadsPolicy;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.RequestSetting;
import io.kvmtune.core.spec.TuningRequest;

/**
 * The host CPUs one NUMA guest gets: which host node serves each guest node, which pCPU each
 * pinned vCPU gets, the siblings held idle by {@code hw:cpu_thread_policy=isolate} and the pCPU
 * reserved by {@code hw:emulator_threads_policy=isolate}.
 */
final class Pinning {

    /** Per guest node: the index (into {@link HostIndex}) of the host node serving it. */
    final int[] hostNodeOf;
    /** The pinned vCPUs' pCPUs, in ascending vCPU order. */
    final int[] pcpus;
    /** Idle sibling pCPUs held for this guest. */
    final long[] reserved;
    /** The emulator's reserved pCPU, or -1. */
    final int emulatorPcpu;

    private Pinning(int[] hostNodeOf, int[] pcpus, long[] reserved, int emulatorPcpu) {
        this.hostNodeOf = hostNodeOf;
        this.pcpus = pcpus;
        this.reserved = reserved;
        this.emulatorPcpu = emulatorPcpu;
    }

    /**
     * Chooses host nodes and pCPUs.
     *
     * @param guestNodes the number of guest NUMA nodes, dividing {@code request.vcpus()}
     * @param dedicatedSetting {@code cpu_dedicated_set=...} for messages
     * @param sharedSetting {@code cpu_shared_set=...} for messages
     * @throws DoesNotFitException naming what is short, where, and by how much
     */
    static Pinning place(HostIndex index, HostPolicy host, TuningRequest request, CpuSet claimed, int guestNodes,
            String dedicatedSetting, String sharedSetting) {
        CpuSet pinned = request.pinnedVcpus();
        int perNode = request.vcpus() / guestNodes;
        boolean isolateEmulator = request.emulatorThreadsPolicy().orElse(null) == EmulatorThreadsPolicy.ISOLATE;
        CpuThreadPolicy threads = request.threadPolicy().orElse(CpuThreadPolicy.PREFER);
        boolean wholeCores = threads == CpuThreadPolicy.ISOLATE;
        boolean needSmt = threads == CpuThreadPolicy.REQUIRE;

        if (guestNodes > index.nodeCount) {
            throw new DoesNotFitException("hw:numa_nodes", String.valueOf(guestNodes), "the guest asks for "
                    + guestNodes + " NUMA nodes (" + request.source(RequestSetting.NUMA_NODES) + ") and the host has "
                    + index.nodeCount);
        }
        int[] pinnedPer = new int[guestNodes];
        for (int v = pinned.nextSetBit(0); v >= 0; v = pinned.nextSetBit(v + 1)) {
            pinnedPer[v / perNode]++;
        }
        if (!pinned.isEmpty() && !hasAny(index.dedicatedOnline)) {
            throw new DoesNotFitException("cpu_dedicated_set", null, "vCPUs " + pinned + " need dedicated pCPUs ("
                    + request.source(pinnedSource(request)) + "), and this host has none: " + dedicatedSetting
                    + (dedicatedSetting.endsWith("not set") ? "" : " has no online CPU"));
        }
        if (!pinned.isEmpty() && needSmt && !anyTrue(index.nodeSmt)) {
            throw new DoesNotFitException("hw:cpu_thread_policy", "require", "vCPUs " + pinned
                    + " must be placed on SMT sibling threads (" + request.source(RequestSetting.CPU_THREAD_POLICY)
                    + "), and no core of " + dedicatedSetting + " has two online threads");
        }

        long[] free = index.freeMask(claimed);
        int n = index.nodeCount;
        int[] freeThreads = new int[n];
        int[] wholeFree = new int[n];
        int[] partialFree = new int[n];
        for (int h = 0; h < n; h++) {
            freeThreads[h] = index.freeThreads(free, h);
            if (wholeCores) {
                wholeFree[h] = index.wholeFreeCores(free, h);
                partialFree[h] = index.freeThreadsOnPartialCores(free, h);
            }
        }

        // Largest demand first, each to the fitting host node with the least room to spare: with one
        // guest node per host node this finds an assignment whenever counts alone allow one.
        int[] order = new int[guestNodes];
        for (int i = 0; i < guestNodes; i++) {
            int demand = demand(pinnedPer, i, isolateEmulator);
            int j = i;
            while (j > 0 && demand(pinnedPer, order[j - 1], isolateEmulator) < demand) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        int[] hostNodeOf = new int[guestNodes];
        boolean[] used = new boolean[n];
        for (int i : order) {
            int p = pinnedPer[i];
            int r = i == 0 && isolateEmulator ? 1 : 0;
            boolean floats = p < perNode;
            int best = -1;
            int bestSpare = Integer.MAX_VALUE;
            for (int h = 0; h < n; h++) {
                if (used[h] || (floats && index.nodeShared[h].isEmpty())) {
                    continue;
                }
                int spare;
                if (p + r == 0) {
                    spare = 0;
                } else if (needSmt && !index.nodeSmt[h]) {
                    continue;
                } else if (wholeCores) {
                    boolean roomForEmulator = r == 0 || wholeFree[h] > p || partialFree[h] > 0;
                    spare = roomForEmulator ? wholeFree[h] - p : -1;
                } else {
                    spare = freeThreads[h] - p - r;
                }
                if (spare >= 0 && spare < bestSpare) {
                    best = h;
                    bestSpare = spare;
                }
            }
            if (best < 0) {
                throw doesNotFit(index, host, i, perNode, p, r, floats, used, freeThreads, wholeFree, wholeCores,
                        needSmt, guestNodes, dedicatedSetting, sharedSetting);
            }
            used[best] = true;
            hostNodeOf[i] = best;
        }

        int[] pcpus = new int[pinned.size()];
        long[] reserved = new long[index.words];
        int offset = 0;
        for (int i = 0; i < guestNodes; i++) {
            index.pack(free, hostNodeOf[i], pinnedPer[i], wholeCores, pcpus, offset, reserved);
            offset += pinnedPer[i];
        }
        int emulatorPcpu = isolateEmulator ? index.takeFirstFree(free, hostNodeOf[0]) : -1;
        return new Pinning(hostNodeOf, pcpus, reserved, emulatorPcpu);
    }

    private static int demand(int[] pinnedPer, int guestNode, boolean isolateEmulator) {
        return pinnedPer[guestNode] + (guestNode == 0 && isolateEmulator ? 1 : 0);
    }

    static RequestSetting pinnedSource(TuningRequest request) {
        return request.sources().containsKey(RequestSetting.PINNED_VCPUS) ? RequestSetting.PINNED_VCPUS
                : RequestSetting.CPU_POLICY;
    }

    private static DoesNotFitException doesNotFit(HostIndex index, HostPolicy host, int guestNode, int perNode,
            int pinned, int emulator, boolean floats, boolean[] used, int[] freeThreads, int[] wholeFree,
            boolean wholeCores, boolean needSmt, int guestNodes, String dedicatedSetting, String sharedSetting) {
        CpuSet vcpus = CpuSet.range(guestNode * perNode, (guestNode + 1) * perNode - 1);
        StringBuilder need = new StringBuilder(160);
        need.append(guestNodes == 1 ? "vCPUs " : "guest NUMA node " + guestNode + " (vCPUs ").append(vcpus)
                .append(guestNodes == 1 ? "" : ")").append(" need");
        boolean dedicatedShort = pinned + emulator > 0;
        if (dedicatedShort) {
            need.append(' ').append(pinned + emulator).append(wholeCores ? " whole free cores" : " free pCPUs")
                    .append(" of ").append(dedicatedSetting);
            if (emulator > 0) {
                need.append(" (").append(pinned).append(" for vCPUs, 1 for hw:emulator_threads_policy=isolate)");
            }
            if (needSmt) {
                need.append(" with SMT siblings (hw:cpu_thread_policy=require)");
            }
        }
        if (floats) {
            need.append(dedicatedShort ? " and" : "").append(" shared CPUs for their floating vCPUs (")
                    .append(sharedSetting).append(')');
        }
        need.append(" on one host NUMA node; the host has");
        int totalFree = 0;
        boolean roomForPins = false;
        for (int h = 0; h < index.nodeCount; h++) {
            need.append(h == 0 ? " " : ", ").append("node ").append(index.nodeIds[h]).append(": ");
            if (used[h]) {
                need.append("taken by another guest node");
                continue;
            }
            int room = wholeCores ? wholeFree[h] : freeThreads[h];
            totalFree += room;
            roomForPins |= room >= pinned + emulator && (!needSmt || index.nodeSmt[h]);
            need.append(room).append(wholeCores ? " whole free cores" : " free");
            if (floats && index.nodeShared[h].isEmpty()) {
                need.append(", no shared CPUs");
            }
            if (needSmt && !index.nodeSmt[h]) {
                need.append(", no SMT");
            }
        }
        if (guestNodes == 1 && dedicatedShort && totalFree >= pinned + emulator && !roomForPins) {
            need.append("; hw:numa_nodes=2 or more would split the guest across nodes");
        }
        // Name the setting that is short: the shared CPUs when some node had room for the pins.
        return dedicatedShort && !roomForPins
                ? new DoesNotFitException("cpu_dedicated_set", host.dedicatedSet().map(CpuSet::format).orElse(null),
                        need.toString())
                : new DoesNotFitException("cpu_shared_set", host.sharedSet().map(CpuSet::format).orElse(null),
                        need.toString());
    }

    private static boolean hasAny(long[] mask) {
        for (long w : mask) {
            if (w != 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyTrue(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }
}
