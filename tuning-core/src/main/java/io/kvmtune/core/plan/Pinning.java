package io.kvmtune.core.plan;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.CpuPolicy;
import io.kvmtune.core.spec.CpuThreadPolicy;
import io.kvmtune.core.spec.EmulatorThreadsPolicy;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.MemPageSize;
import io.kvmtune.core.spec.RequestSetting;
import io.kvmtune.core.spec.TuningRequest;
import io.kvmtune.core.topology.NodeMemory;
import io.kvmtune.core.topology.PagePool;
import java.util.Arrays;

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
    /** Per guest node: the page size chosen in KiB, or {@link MemoryFit#NO_PAGE_SIZE}. */
    final long[] pageKibOf;

    private Pinning(int[] hostNodeOf, int[] pcpus, long[] reserved, int emulatorPcpu, long[] pageKibOf) {
        this.hostNodeOf = hostNodeOf;
        this.pcpus = pcpus;
        this.reserved = reserved;
        this.emulatorPcpu = emulatorPcpu;
        this.pageKibOf = pageKibOf;
    }

    /**
     * Chooses host nodes and pCPUs as Nova's {@code numa_fit_instance_to_host} does: the host cells
     * are ordered (when the guest has fewer cells than the host) by free dedicated CPUs, most first,
     * or least first with {@code packing_host_numa_cells_allocation_strategy}; guest cell {@code i}
     * goes to the {@code i}-th cell of the first ordering of distinct host cells in which every
     * guest cell fits ({@code _numa_fit_instance_cell}: its memory ({@link MemoryFit}), enough
     * dedicated CPUs for its pinned vCPUs
     * plus the isolated emulator pCPU on guest cell 0, enough shared CPUs for its floating vCPUs,
     * and a packing of its pinned vCPUs onto cores, {@link CorePacking}).
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
        boolean pinnedPolicy = request.cpuPolicy() != CpuPolicy.SHARED;

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
        if (!pinned.isEmpty() && needSmt && !anySmt(index)) {
            throw new DoesNotFitException("hw:cpu_thread_policy", "require", "vCPUs " + pinned
                    + " must be placed on SMT sibling threads (" + request.source(RequestSetting.CPU_THREAD_POLICY)
                    + "), and no core of " + dedicatedSetting + " has two online threads");
        }

        long[] free = index.freeMask(claimed);
        int n = index.nodeCount;
        int[] freeThreads = new int[n];
        for (int h = 0; h < n; h++) {
            freeThreads[h] = index.freeThreads(free, h);
        }
        int[] order = hostCellOrder(index, guestNodes, freeThreads, pinnedPolicy, host.packNumaCells());

        long cellKib = request.memoryMb().isPresent() ? request.memoryMb().getAsLong() * 1024 / guestNodes : -1;
        MemPageSize pageRequest = request.memPageSize().orElse(null);
        CellSearch search = new CellSearch(index, free, pinnedPer, perNode, isolateEmulator, threads, pinnedPolicy,
                guestNodes, cellKib, pageRequest);
        if (!search.assign(0, order)) {
            int g = search.firstFittingNowhere();
            if (search.memoryShortEverywhere(g)) {
                throw memoryDoesNotFit(index, request, g, guestNodes, cellKib);
            }
            int[] wholeFree = new int[n];
            for (int h = 0; h < n; h++) {
                wholeFree[h] = wholeCores ? index.wholeFreeCores(free, h) : 0;
            }
            throw doesNotFit(index, host, g, perNode, pinnedPer[g], g == 0 && isolateEmulator ? 1 : 0,
                    pinnedPer[g] < perNode, freeThreads, wholeFree, wholeCores, needSmt, guestNodes,
                    dedicatedSetting, sharedSetting);
        }

        int[] pcpus = new int[pinned.size()];
        long[] reserved = new long[index.words];
        int offset = 0;
        int emulatorPcpu = -1;
        long[] pageKibOf = new long[guestNodes];
        for (int i = 0; i < guestNodes; i++) {
            pageKibOf[i] = search.pageKib[search.hostNodeOf[i]][i];
            CorePacking.Result fit = search.fits[search.hostNodeOf[i]][i];
            if (fit == null) {
                continue; // the shared policy: nothing pinned
            }
            System.arraycopy(fit.pcpus(), 0, pcpus, offset, fit.pcpus().length);
            offset += fit.pcpus().length;
            for (int cpu : fit.isolatedSiblings()) {
                reserved[cpu >>> 6] |= 1L << cpu;
            }
            if (fit.emulatorPcpu() >= 0) {
                emulatorPcpu = fit.emulatorPcpu();
            }
        }
        return new Pinning(search.hostNodeOf, pcpus, reserved, emulatorPcpu, pageKibOf);
    }

    /**
     * Nova's ordering of host cells before it tries them: untouched when the guest has as many cells
     * as the host; else by memory (most first, or least first when packing), then, for pinned
     * guests, by free dedicated CPUs (most first, or least first when packing), each sort stable.
     * Nova weighs the memory its instances leave free and, for unpinned guests, the shared CPUs they
     * use; kvmtune keeps no such account, which is Nova's view of a host with no guests.
     */
    private static int[] hostCellOrder(HostIndex index, int guestNodes, int[] freeThreads, boolean pinnedPolicy,
            boolean pack) {
        int n = index.nodeCount;
        Integer[] order = new Integer[n];
        for (int h = 0; h < n; h++) {
            order[h] = h;
        }
        if (n > guestNodes && index.memoryKnown) {
            long[] mib = new long[n];
            for (int h = 0; h < n; h++) {
                mib[h] = index.nodeMemory[h].totalKib() / 1024;
            }
            Arrays.sort(order, (a, b) -> pack ? Long.compare(mib[a], mib[b]) : Long.compare(mib[b], mib[a]));
        }
        if (n > guestNodes && pinnedPolicy) {
            Arrays.sort(order, (a, b) -> pack ? Integer.compare(freeThreads[a], freeThreads[b])
                    : Integer.compare(freeThreads[b], freeThreads[a]));
        }
        int[] out = new int[n];
        for (int h = 0; h < n; h++) {
            out[h] = order[h];
        }
        return out;
    }

    /**
     * The search of {@code numa_fit_instance_to_host}: the first assignment, in the order of
     * {@code itertools.permutations} over the ordered host cells, of distinct host cells to the
     * guest cells in which each guest cell fits its host cell. A pair fits or not whatever the
     * other pairs are, so each is tried once.
     */
    private static final class CellSearch {
        private final HostIndex index;
        private final long[] free;
        private final int[] pinnedPer;
        private final int perNode;
        private final boolean isolateEmulator;
        private final CpuThreadPolicy threads;
        private final boolean pinnedPolicy;
        final CorePacking.Result[][] fits;
        /** Per host cell and guest cell: the page size {@link MemoryFit} chose. */
        final long[][] pageKib;
        /** Per host cell and guest cell: the memory did not fit. */
        private final boolean[][] memoryShort;
        private final long cellKib;
        private final MemPageSize pageRequest;
        /** Per host cell and guest cell: 0 not tried, 1 fits, 2 does not. */
        private final byte[][] tried;
        final int[] hostNodeOf;
        private final boolean[] used;

        CellSearch(HostIndex index, long[] free, int[] pinnedPer, int perNode, boolean isolateEmulator,
                CpuThreadPolicy threads, boolean pinnedPolicy, int guestNodes, long cellKib, MemPageSize pageRequest) {
            this.index = index;
            this.free = free;
            this.pinnedPer = pinnedPer;
            this.perNode = perNode;
            this.isolateEmulator = isolateEmulator;
            this.threads = threads;
            this.pinnedPolicy = pinnedPolicy;
            this.fits = new CorePacking.Result[index.nodeCount][guestNodes];
            this.pageKib = new long[index.nodeCount][guestNodes];
            this.memoryShort = new boolean[index.nodeCount][guestNodes];
            this.cellKib = cellKib;
            this.pageRequest = pageRequest;
            this.tried = new byte[index.nodeCount][guestNodes];
            this.hostNodeOf = new int[guestNodes];
            this.used = new boolean[index.nodeCount];
        }

        boolean assign(int g, int[] order) {
            if (g == hostNodeOf.length) {
                return true;
            }
            for (int h : order) {
                if (used[h]) {
                    continue;
                }
                if (tried[h][g] == 0) {
                    tried[h][g] = (byte) (fits(h, g) ? 1 : 2);
                }
                if (tried[h][g] == 2) {
                    continue;
                }
                used[h] = true;
                hostNodeOf[g] = h;
                if (assign(g + 1, order)) {
                    return true;
                }
                used[h] = false;
            }
            return false;
        }

        /** Nova's {@code _numa_fit_instance_cell}: memory first, then CPUs; keeps the page size and the packing. */
        private boolean fits(int h, int g) {
            long page = MemoryFit.fit(index.nodeMemory[h], cellKib, pageRequest);
            if (page == MemoryFit.DOES_NOT_FIT) {
                memoryShort[h][g] = true;
                return false;
            }
            pageKib[h][g] = page;
            int pinned = pinnedPer[g];
            int reserve = g == 0 && isolateEmulator ? 1 : 0;
            if (pinnedPolicy && pinned + reserve > index.nodeDedicatedCount[h]) {
                return false;
            }
            if (perNode - pinned > index.nodeShared[h].size()) {
                return false;
            }
            if (!pinnedPolicy) {
                return true;
            }
            if (pinned + reserve > index.freeThreads(free, h)) {
                return false;
            }
            fits[h][g] = CorePacking.pack(index.freeSiblings(free, h), index.threadsPerCore[h], pinned, reserve, threads);
            return fits[h][g] != null;
        }

        /** Whether every host cell tried for guest cell {@code g} was short of memory. */
        boolean memoryShortEverywhere(int g) {
            boolean any = false;
            for (int h = 0; h < tried.length; h++) {
                if (tried[h][g] == 2 && !memoryShort[h][g]) {
                    return false;
                }
                any |= memoryShort[h][g];
            }
            return any;
        }

        /** The first guest cell no host cell could take, for the message; 0 when each fits somewhere. */
        int firstFittingNowhere() {
            for (int g = 0; g < hostNodeOf.length; g++) {
                boolean anywhere = false;
                for (byte[] row : tried) {
                    anywhere |= row[g] == 1;
                }
                if (!anywhere) {
                    return g;
                }
            }
            return 0;
        }
    }

    static RequestSetting pinnedSource(TuningRequest request) {
        return request.sources().containsKey(RequestSetting.PINNED_VCPUS) ? RequestSetting.PINNED_VCPUS
                : RequestSetting.CPU_POLICY;
    }

    private static DoesNotFitException doesNotFit(HostIndex index, HostPolicy host, int guestNode, int perNode,
            int pinned, int emulator, boolean floats, int[] freeThreads, int[] wholeFree,
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
        int floating = perNode - pinned;
        int totalFree = 0;
        boolean roomForPins = false;
        boolean sharedShortWherePinsFit = false;
        for (int h = 0; h < index.nodeCount; h++) {
            need.append(h == 0 ? " " : ", ").append("node ").append(index.nodeIds[h]).append(": ");
            int room = wholeCores ? wholeFree[h] : freeThreads[h];
            totalFree += room;
            boolean pinsFit = room >= pinned + emulator && (!needSmt || index.threadsPerCore[h] > 1);
            roomForPins |= pinsFit;
            sharedShortWherePinsFit |= pinsFit && floats && floating > index.nodeShared[h].size();
            need.append(room).append(wholeCores ? " whole free cores" : " free");
            if (floats) {
                need.append(", ").append(index.nodeShared[h].size()).append(" shared");
            }
            if (needSmt && index.threadsPerCore[h] == 1) {
                need.append(", no SMT");
            }
        }
        if (guestNodes == 1 && dedicatedShort && totalFree >= pinned + emulator && !roomForPins) {
            need.append("; hw:numa_nodes=2 or more would split the guest across nodes");
        }
        if (roomForPins && !sharedShortWherePinsFit && dedicatedShort) {
            need.append("; the free pCPUs do not lie on cores as ")
                    .append(needSmt ? "hw:cpu_thread_policy=require" : wholeCores ? "hw:cpu_thread_policy=isolate"
                            : "Nova's core packing").append(" needs");
        }
        // Name the setting that is short: the shared CPUs when a node had room for the pins but not the floats.
        return sharedShortWherePinsFit || !dedicatedShort
                ? new DoesNotFitException("cpu_shared_set", host.sharedSet().map(CpuSet::format).orElse(null),
                        need.toString())
                : new DoesNotFitException("cpu_dedicated_set", host.dedicatedSet().map(CpuSet::format).orElse(null),
                        need.toString());
    }

    private static DoesNotFitException memoryDoesNotFit(HostIndex index, TuningRequest request, int guestNode,
            int guestNodes, long cellKib) {
        MemPageSize page = request.memPageSize().orElse(null);
        String memory = request.source(RequestSetting.MEMORY);
        StringBuilder need = new StringBuilder(160);
        need.append(guestNodes == 1 ? "the guest's " : "guest NUMA node " + guestNode + "'s ").append(cellKib / 1024)
                .append(" MiB (").append(memory).append(')');
        if (page == null) {
            need.append(" need that much memory on one host NUMA node; the host has");
        } else {
            need.append(" need that much free in ").append(page.kind() == MemPageSize.Kind.SIZE ? page.label() + " pages"
                    : page.value() + " pages").append(" (").append(request.source(RequestSetting.MEM_PAGE_SIZE))
                    .append("), a whole number of them, on one host NUMA node; the host has");
        }
        for (int h = 0; h < index.nodeCount; h++) {
            need.append(h == 0 ? " " : "; ").append("node ").append(index.nodeIds[h]).append(": ");
            NodeMemory m = index.nodeMemory[h];
            if (m == null) {
                need.append("memory not known");
                continue;
            }
            if (page == null) {
                need.append(m.pages().getFirst().totalKib() / 1024).append(" MiB");
                continue;
            }
            for (int i = 0; i < m.pages().size(); i++) {
                PagePool p = m.pages().get(i);
                need.append(i == 0 ? "" : ", ").append(p.free()).append(" free ").append(p.sizeKib()).append(" KiB pages");
            }
        }
        if (page != null && index.nodeCount > 0) {
            need.append(" (reserve huge pages with nodeN/hugepages/hugepages-SIZEkB/nr_hugepages or hugepages= on the kernel"
                    + " command line)");
        }
        return page == null
                ? new DoesNotFitException("memory_mb", memory.substring(memory.indexOf('=') + 1), need.toString())
                : new DoesNotFitException("hw:mem_page_size", page.value(), need.toString());
    }

    private static boolean hasAny(long[] mask) {
        for (long w : mask) {
            if (w != 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean anySmt(HostIndex index) {
        for (int tpc : index.threadsPerCore) {
            if (tpc > 1) {
                return true;
            }
        }
        return false;
    }
}
