package io.kvmtune.core.plan;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.CpuThreadPolicy;
import io.kvmtune.core.spec.EmulatorThreadsPolicy;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.SpawnCheck;
import io.kvmtune.core.spec.RequestSetting;
import io.kvmtune.core.spec.TuningRequest;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.linux.SchedPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns a validated request into a {@link TuningPlan} for one host: a pure function of the
 * request, the host policy, the host topology and the pCPUs other guests already hold. No I/O,
 * no clock, no randomness: the same inputs give the same plan.
 *
 * <p>Build one planner per host ({@link #forHost}) and reuse it: the per-host indexes are
 * computed once, so a plan costs bit arithmetic over the free mask, Nova's core packing over the
 * free threads of the host cells it tries ({@code CorePacking}: short arrays per cell tried), and
 * the plan's own objects: one pCPU-set reference per vCPU ({@code PlacementList}) and its reasons
 * as recipes worded only when read ({@code ReasonList}).
 * A planner is immutable and may be shared between threads.
 *
 * <p>The rules, from nova-semantics.md:
 * <ul>
 * <li>Pinned vCPUs get free pCPUs of the host's dedicated CPUs ({@link NovaCpuSets}: also a
 *     legacy {@code vcpu_pin_set}, or any online CPU when no set is configured). The guest's vCPUs
 *     are split evenly over {@code hw:numa_nodes} guest nodes (one without it), and guest node
 *     {@code i} goes to the host node Nova's {@code numa_fit_instance_to_host} gives it (spread
 *     by default, packed with {@code packing_host_numa_cells_allocation_strategy}; see
 *     {@code Pinning}).
 * <li>{@code hw:cpu_thread_policy} and the core choice follow Nova's
 *     {@code _pack_instance_onto_cores} ({@link CorePacking}): cores with the most free sibling
 *     threads first; {@code isolate} takes whole free cores and holds their siblings idle;
 *     {@code require} only sibling threads.
 * <li>{@code hw:emulator_threads_policy=isolate} reserves one more pCPU on the host node of guest
 *     node 0: the first free one in core order after the vCPUs are pinned.
 * <li>Floating vCPUs (shared policy, or the unpinned vCPUs of {@code mixed}) run on the shared
 *     CPUs of their host node, which must have as many as the node's floating vCPUs; guests
 *     without a NUMA topology float over all of the host's shared CPUs.
 * <li>The emulator cpuset follows Nova's four rules in order ({@link EmulatorRule}).
 * </ul>
 */
public final class Planner {

    private static final Optional<Boolean> HPET_PRESENT = Optional.of(true);
    private static final Optional<Boolean> HPET_ABSENT = Optional.of(false);

    private final HostPolicy host;
    private final HostIndex index;
    private final Optional<GuestCpu> guestCpu;
    private final List<Reason> guestCpuReasons;
    private final HostCpuModels cpuModels;
    private final String dedicatedSetting;
    private final String sharedSetting;
    // Reasons that depend on the host alone are built once: a plan reuses them instead of
    // concatenating the same strings again.
    private final Reason realtimePriority;
    private final Reason noTimers;
    /** The hpet reason when the request does not set hw_time_hpet, indexed by present (0 no, 1 yes). */
    private final Reason[] defaultHpet;

    private Planner(HostPolicy host, HostTopology topology, HostCpuModels cpuModels) {
        this.host = host;
        this.index = new HostIndex(host, topology);
        this.cpuModels = cpuModels;
        List<Reason> cpuReasons = new ArrayList<>(3);
        this.guestCpu = GuestCpuRule.of(host, topology.arch(), cpuReasons);
        cpuReasons.addAll(cpuModels.notes());
        this.guestCpuReasons = List.copyOf(cpuReasons);
        this.dedicatedSetting = index.sets.dedicatedSetting();
        this.sharedSetting = index.sets.sharedSetting();
        this.realtimePriority = new Reason("realtime priority " + host.realtimePriority(),
                "realtime_scheduler_priority=" + host.realtimePriority());
        this.noTimers = new Reason("no guest timers (pit, rtc, hpet)", "virt_type=" + host.virtType());
        this.defaultHpet = new Reason[] {hpetReason(false, "hw_time_hpet not set"), hpetReason(true, "hw_time_hpet not set")};
    }

    /**
     * A planner for one host, with its indexes built.
     *
     * @throws InvalidInputException when the host's CPU settings cannot give a CPU element
     *     ({@code cpu_mode=custom} without {@code cpu_models})
     */
    public static Planner forHost(HostPolicy host, HostTopology topology) {
        return new Planner(host, topology, HostCpuModels.unchecked());
    }

    /**
     * A planner for one host whose CPU models went through Nova's start-up rules
     * ({@code cpumodel.NovaCpuModels#check}): {@code host} has them in libvirt's spelling, and
     * {@code cpuModels} chooses among them for flavors that require CPU traits.
     */
    public static Planner forHost(HostPolicy host, HostTopology topology, HostCpuModels cpuModels) {
        return new Planner(host, topology, cpuModels);
    }

    /** One plan on a host planned only once; {@link #forHost} is cheaper for many plans. */
    public static TuningPlan plan(TuningRequest request, HostPolicy host, HostTopology topology, CpuSet claimed) {
        return forHost(host, topology).plan(request, claimed);
    }

    /**
     * Plans {@code request} on this host.
     *
     * @param claimed pCPUs other guests hold (their {@link TuningPlan#claimedPcpus()}); never used
     * @throws DoesNotFitException naming the setting that is short and by how much
     * @throws InvalidInputException for a request the host policy makes invalid (realtime with
     *     shared emulator threads and no {@code cpu_shared_set}; {@code hw:numa_nodes} that does not
     *     divide the vCPUs; a shared set with no online CPU)
     */
    public TuningPlan plan(TuningRequest request, CpuSet claimed) {
        int vcpus = request.vcpus();
        CpuSet pinned = request.pinnedVcpus();
        CpuSet realtime = request.realtimeVcpus().orElse(CpuSet.empty());
        ReasonList.Builder reasons = new ReasonList.Builder();

        // As in Nova, a guest gets a NUMA topology (and per-vCPU pins) when pinned, split or given a page
        // size; an isolated emulator pCPU is reserved on a NUMA cell, so it implies one too.
        boolean numaGuest = !pinned.isEmpty() || request.numaNodes().isPresent() || request.memPageSize().isPresent()
                || request.emulatorThreadsPolicy().orElse(null) == EmulatorThreadsPolicy.ISOLATE;

        int guestNodes = request.numaNodes().orElse(1);
        if (guestNodes < 1 || vcpus % guestNodes != 0) {
            throw new InvalidInputException("ImageNUMATopologyAsymmetric", "hw:numa_nodes", String.valueOf(guestNodes),
                    "hw:numa_nodes=" + guestNodes + " does not divide the guest's " + vcpus + " vCPUs evenly");
        }
        int perNode = vcpus / guestNodes;
        Pinning pinning = null;
        if (numaGuest) {
            pinning = Pinning.place(index, host, request, claimed, guestNodes, dedicatedSetting, sharedSetting);
        } else if (index.hostShared.isEmpty()) {
            throw new DoesNotFitException("cpu_shared_set", null, "vCPUs " + CpuSet.firstN(vcpus)
                    + " float on the host's shared CPUs (" + cite(request, RequestSetting.CPU_POLICY, "hw:cpu_policy not set")
                    + "), and there are none: " + sharedSetting + " while " + dedicatedSetting);
        }

        // Nova schedules (DoesNotFit) before the driver's spawn-time check.
        SpawnCheck.check(request, host);

        CpuSet[] placements = new CpuSet[vcpus];
        long[] nonRealtimePinned = new long[index.words];
        boolean[] nonRealtimeFloatsOn = new boolean[index.nodeCount];
        int next = 0;
        for (int v = 0; v < vcpus; v++) {
            boolean rt = realtime.contains(v);
            CpuSet pcpus;
            boolean isPinned = pinned.contains(v);
            if (isPinned) {
                int pcpu = pinning.pcpus[next++];
                pcpus = index.single(pcpu);
                if (!rt) {
                    nonRealtimePinned[pcpu >>> 6] |= 1L << pcpu;
                }
            } else if (numaGuest) {
                int node = pinning.hostNodeOf[v / perNode];
                pcpus = index.nodeShared[node];
                nonRealtimeFloatsOn[node] = true;
            } else {
                pcpus = index.hostShared;
            }
            placements[v] = pcpus;
        }
        if (numaGuest) {
            explainPlacement(request, pinning, perNode, guestNodes, reasons);
        } else {
            reasons.add(() -> new Reason("vCPUs " + CpuSet.firstN(vcpus) + " float on shared CPUs " + index.hostShared,
                    cite(request, RequestSetting.CPU_POLICY, "hw:cpu_policy not set") + ", " + sharedSetting));
        }

        Optional<RealtimePlan> realtimePlan = Optional.empty();
        if (request.isRealtime()) {
            String mask = cite(request, RequestSetting.REALTIME_MASK, request.source(RequestSetting.REALTIME));
            realtimePlan = Optional.of(new RealtimePlan(realtime, SchedPolicy.FIFO, host.realtimePriority()));
            reasons.add(() -> new Reason("vCPUs " + realtime + " realtime: SCHED_FIFO", mask));
            reasons.add(realtimePriority);
            // The realtime vCPUs are a subset of 0..vcpus-1: fewer of them leaves housekeeping vCPUs.
            if (realtime.size() < vcpus) {
                reasons.add(() -> new Reason("vCPUs " + CpuSet.firstN(vcpus).minus(realtime) + " stay SCHED_OTHER", mask));
            }
        }

        EmulatorPlacement emulator = emulator(request, pinning, nonRealtimePinned, nonRealtimeFloatsOn, numaGuest,
                reasons);
        MemoryPlan memory = memory(request, pinning, reasons);
        Optional<Boolean> hpet = hpet(request, reasons);
        reasons.addAll(guestCpuReasons);
        Optional<GuestCpu> cpu = guestCpuFor(request, reasons);
        GuestClock clock = clock(request, reasons);
        return new TuningPlan(new PlacementList(placements, pinned, realtime, host.realtimePriority()), realtimePlan,
                emulator,
                pinning != null && pinning.emulatorPcpu >= 0 ? OptionalInt.of(pinning.emulatorPcpu) : OptionalInt.empty(),
                pinning == null ? CpuSet.empty() : CpuSet.fromMask(pinning.reserved),
                memory, hpet, cpu, reasons.build(), clock);
    }

    /**
     * Nova's {@code _get_guest_memory_backing_config}: huge pages when the page size chosen is above
     * the base page, memory locked and KSM off for realtime, locked for {@code hw:locked_memory}.
     *
     * @throws DoesNotFitException when guest nodes got different page sizes: kvmtune writes no guest
     *     NUMA cells, so one {@code <page>} element backs all guest memory
     */
    private MemoryPlan memory(TuningRequest request, Pinning pinning, ReasonList.Builder reasons) {
        boolean locked = request.isRealtime() || request.lockedMemory();
        long page = 0;
        long[] nodes = new long[1];
        if (request.memPageSize().isPresent() && request.memoryMb().isEmpty()) {
            // A running guest's apply: its pages are taken already, and its backing is not the plan's to change.
            reasons.add(() -> new Reason("page size not checked and no huge pages planned: the guest's memory size"
                    + " is not known", request.source(RequestSetting.MEM_PAGE_SIZE)));
        } else if (request.memPageSize().isPresent()) {
            for (int g = 0; g < pinning.pageKibOf.length; g++) {
                long chosen = pinning.pageKibOf[g];
                int hostNode = index.nodeIds[pinning.hostNodeOf[g]];
                if (g > 0 && chosen != page) {
                    throw new DoesNotFitException("hw:mem_page_size", request.memPageSize().get().value(), "guest NUMA node"
                            + " 0 got " + page + " KiB pages and node " + g + " " + chosen + " KiB pages; kvmtune backs"
                            + " all guest memory with one page size (it writes no guest NUMA cells): free pages of one"
                            + " size on every host node used, or ask for that size");
                }
                page = chosen;
                nodes = CpuSet.of(hostNode).orInto(nodes);
            }
            long base = index.nodeMemory[pinning.hostNodeOf[0]].basePageKib();
            String source = cite(request, RequestSetting.MEM_PAGE_SIZE, "hw:mem_page_size") + ", "
                    + request.source(RequestSetting.MEMORY);
            CpuSet hostNodes = CpuSet.fromMask(nodes);
            long size = page;
            if (page > base) {
                reasons.add(() -> new Reason("guest memory in " + size + " KiB huge pages from host NUMA node"
                        + (hostNodes.size() > 1 ? "s " : " ") + hostNodes + ", bound there (numatune strict)", source));
            } else {
                reasons.add(() -> new Reason("guest memory in the host's base " + size + " KiB pages", source));
                page = 0;
            }
        }
        if (request.isRealtime()) {
            reasons.add(new Reason("guest memory locked, KSM page sharing off", request.source(RequestSetting.REALTIME)));
        }
        if (request.lockedMemory()) {
            reasons.add(new Reason("guest memory locked", request.source(RequestSetting.LOCKED_MEMORY)));
        }
        return new MemoryPlan(locked, request.isRealtime(), page, page > 0 ? CpuSet.fromMask(nodes) : CpuSet.empty());
    }

    /** Nova's {@code _set_clock}: Windows guests keep local time and, on kvm, get the Hyper-V clock. */
    private GuestClock clock(TuningRequest request, ReasonList.Builder reasons) {
        if (!request.windows()) {
            return GuestClock.UTC;
        }
        boolean kvm = host.virtType().equals("kvm");
        String source = request.source(RequestSetting.OS_TYPE);
        reasons.add(new Reason("clock offset localtime" + (kvm ? ", hypervclock timer present" : ""),
                source + (kvm ? ", virt_type=kvm" : "")));
        return new GuestClock(true, kvm);
    }

    /**
     * The host's CPU element, with the model Nova's {@code _match_cpu_model_by_flags} chooses when
     * the flavor requires CPU traits under {@code cpu_mode=custom}.
     */
    private Optional<GuestCpu> guestCpuFor(TuningRequest request, ReasonList.Builder reasons) {
        if (request.cpuTraits().isEmpty() || guestCpu.isEmpty() || guestCpu.get().model() == null
                || host.cpuModels().isEmpty()) {
            return guestCpu;
        }
        String model = cpuModels.choice().modelFor(host.cpuModels(), request.cpuTraits());
        reasons.add(() -> new Reason("guest CPU model " + model + ", the first configured with every required trait",
                "traits " + String.join(",", request.cpuTraits()) + ", cpu_models=" + String.join(",", host.cpuModels())));
        GuestCpu base = guestCpu.get();
        return Optional.of(new GuestCpu(base.mode(), model, base.features()));
    }

    private void explainPlacement(TuningRequest request, Pinning pinning, int perNode, int guestNodes,
            ReasonList.Builder reasons) {
        String numa = cite(request, RequestSetting.NUMA_NODES, "hw:numa_nodes not set: one guest NUMA node");
        String pinSource = request.source(Pinning.pinnedSource(request));
        CpuSet pinned = request.pinnedVcpus();
        int vcpuWords = ((guestNodes * perNode - 1) >>> 6) + 1;
        long[] pinnedVcpus = new long[vcpuWords];
        long[] floating = new long[vcpuWords];
        long[] pcpus = new long[index.words];
        int next = 0;
        for (int g = 0; g < guestNodes; g++) {
            int hostNode = index.nodeIds[pinning.hostNodeOf[g]];
            Arrays.fill(pinnedVcpus, 0);
            Arrays.fill(floating, 0);
            Arrays.fill(pcpus, 0);
            // Pinning.pcpus holds the pinned vCPUs' pCPUs in ascending vCPU order.
            for (int v = g * perNode; v < (g + 1) * perNode; v++) {
                if (pinned.contains(v)) {
                    pinnedVcpus[v >>> 6] |= 1L << v;
                    int pcpu = pinning.pcpus[next++];
                    pcpus[pcpu >>> 6] |= 1L << pcpu;
                } else {
                    floating[v >>> 6] |= 1L << v;
                }
            }
            int guestNode = g;
            reasons.add(() -> new Reason(where(guestNode, guestNodes) + "vCPUs "
                    + CpuSet.range(guestNode * perNode, (guestNode + 1) * perNode - 1) + " on host NUMA node " + hostNode,
                    numa));
            CpuSet pinnedSet = CpuSet.fromMask(pinnedVcpus);
            if (!pinnedSet.isEmpty()) {
                CpuSet pinnedPcpus = CpuSet.fromMask(pcpus);
                reasons.add(() -> new Reason(where(guestNode, guestNodes) + "vCPUs " + pinnedSet
                        + " pinned 1:1 to pCPUs " + pinnedPcpus + ", free in " + dedicatedSetting, pinSource));
            }
            CpuSet floatingSet = CpuSet.fromMask(floating);
            if (!floatingSet.isEmpty()) {
                CpuSet shared = index.nodeShared[pinning.hostNodeOf[g]];
                reasons.add(() -> new Reason(where(guestNode, guestNodes) + "vCPUs " + floatingSet
                        + " float on host node " + hostNode + "'s shared CPUs " + shared,
                        cite(request, RequestSetting.CPU_POLICY, "hw:cpu_policy not set") + ", " + sharedSetting));
            }
        }
        if (request.pinnedVcpus().isEmpty()) {
            return;
        }
        CpuThreadPolicy threads = request.threadPolicy().orElse(null);
        String threadSource = cite(request, RequestSetting.CPU_THREAD_POLICY, "hw:cpu_thread_policy not set");
        if (threads == CpuThreadPolicy.ISOLATE) {
            CpuSet reserved = CpuSet.fromMask(pinning.reserved);
            reasons.add(() -> new Reason("one pinned vCPU per whole core" + (reserved.isEmpty() ? ""
                    : "; sibling pCPUs " + reserved + " held idle"), threadSource));
            boolean splitSmt = false;
            for (int node : pinning.hostNodeOf) {
                splitSmt |= index.threadsPerCore[node] > 1 && index.nodeSplit[node];
            }
            if (splitSmt) {
                reasons.add(new Reason("deliberate difference from Nova: its scheduler keeps isolate guests off SMT hosts"
                        + " with cpu_dedicated_set; kvmtune holds the siblings idle, as Nova does on vcpu_pin_set"
                        + " hosts (docs/nova-differences.md)", threadSource + ", " + dedicatedSetting));
            }
        } else if (threads == CpuThreadPolicy.REQUIRE) {
            reasons.add(new Reason("pinned vCPUs on SMT sibling threads, cores with the most free threads first",
                    threadSource));
        } else {
            reasons.add(new Reason("pinned vCPUs on the cores with the most free sibling threads first", threadSource));
        }
    }

    private EmulatorPlacement emulator(TuningRequest request, Pinning pinning, long[] nonRealtimePinned,
            boolean[] nonRealtimeFloatsOn, boolean numaGuest, ReasonList.Builder reasons) {
        EmulatorThreadsPolicy policy = request.emulatorThreadsPolicy().orElse(null);
        String policySource = cite(request, RequestSetting.EMULATOR_THREADS_POLICY, "hw:emulator_threads_policy not set");
        if (policy == EmulatorThreadsPolicy.ISOLATE) {
            int pcpu = pinning.emulatorPcpu;
            int hostNode = index.nodeIds[pinning.hostNodeOf[0]];
            reasons.add(() -> new Reason("emulator threads on pCPU " + pcpu + ", reserved on host NUMA node " + hostNode
                    + " of guest node 0", policySource));
            return new EmulatorPlacement(index.single(pinning.emulatorPcpu), EmulatorRule.ISOLATE);
        }
        if (policy == EmulatorThreadsPolicy.SHARE && host.sharedSet().isPresent()) {
            if (index.hostShared.isEmpty()) {
                throw InvalidInputException.invalid("cpu_shared_set", host.sharedSet().get().format(),
                        "cpu_shared_set " + host.sharedSet().get() + " has no online CPU for the emulator threads");
            }
            reasons.add(() -> new Reason("emulator threads on the online shared CPUs " + index.hostShared,
                    policySource + ", " + sharedSetting));
            return new EmulatorPlacement(index.hostShared, EmulatorRule.SHARE_SHARED_SET);
        }
        CpuSet cpus = numaGuest ? CpuSet.fromMask(nonRealtimePinned) : index.hostShared;
        for (int h = 0; h < nonRealtimeFloatsOn.length; h++) {
            if (nonRealtimeFloatsOn[h]) {
                cpus = cpus.union(index.nodeShared[h]);
            }
        }
        CpuSet chosen = cpus;
        boolean share = policy == EmulatorThreadsPolicy.SHARE;
        if (request.isRealtime()) {
            reasons.add(() -> new Reason("emulator threads on " + chosen + ", the pCPUs of the non-realtime vCPUs",
                    (share ? policySource + ", " + sharedSetting : policySource) + ", "
                            + cite(request, RequestSetting.REALTIME_MASK, request.source(RequestSetting.REALTIME))));
            return new EmulatorPlacement(chosen, EmulatorRule.NON_REALTIME_VCPUS);
        }
        reasons.add(() -> new Reason("emulator threads on " + chosen + ", the guest's own pCPUs",
                share ? policySource + ", " + sharedSetting : policySource));
        return new EmulatorPlacement(chosen, EmulatorRule.GUEST_PCPUS);
    }

    /** The hpet timer as Nova's {@code _set_kvm_timers} writes it: kvm only, x86 guests only. */
    private Optional<Boolean> hpet(TuningRequest request, ReasonList.Builder reasons) {
        if (!host.virtType().equals("kvm")) {
            reasons.add(noTimers);
            return Optional.empty();
        }
        String arch = request.guestArch();
        if (!arch.equals("x86_64") && !arch.equals("i686")) {
            reasons.add(new Reason("no hpet timer on a " + arch + " guest",
                    cite(request, RequestSetting.GUEST_ARCH, "guest architecture " + arch)));
            return Optional.empty();
        }
        String given = request.sources().get(RequestSetting.HPET);
        reasons.add(given == null ? defaultHpet[request.hpet() ? 1 : 0] : hpetReason(request.hpet(), given));
        return request.hpet() ? HPET_PRESENT : HPET_ABSENT;
    }

    private static Reason hpetReason(boolean present, String source) {
        return new Reason(present ? "hpet timer present=yes" : "hpet timer present=no", source + ", virt_type=kvm");
    }

    /** The prefix naming guest node {@code g} in a reason, empty for a guest with one node. */
    private static String where(int g, int guestNodes) {
        return guestNodes == 1 ? "" : "guest NUMA node " + g + ": ";
    }

    /** The request's {@code key=value} for {@code setting}, or {@code absent} when it was not given. */
    private static String cite(TuningRequest request, RequestSetting setting, String absent) {
        // One map probe: sources never holds null values.
        String given = request.sources().get(setting);
        return given != null ? given : absent;
    }
}
