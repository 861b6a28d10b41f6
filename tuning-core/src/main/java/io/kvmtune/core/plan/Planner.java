package io.kvmtune.core.plan;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.CpuThreadPolicy;
import io.kvmtune.core.spec.EmulatorThreadsPolicy;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.RequestSetting;
import io.kvmtune.core.spec.TuningRequest;
import io.kvmtune.core.topology.HostTopology;
import io.kvmtune.linux.SchedPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns a validated request into a {@link TuningPlan} for one host: a pure function of the
 * request, the host policy, the host topology and the pCPUs other guests already hold. No I/O,
 * no clock, no randomness: the same inputs give the same plan.
 *
 * <p>Build one planner per host ({@link #forHost}) and reuse it: the per-host indexes are
 * computed once, so a plan costs bit arithmetic over the free mask plus the plan's own objects.
 * A planner is immutable and may be shared between threads.
 *
 * <p>The rules, from nova-semantics.md:
 * <ul>
 * <li>Pinned vCPUs get free pCPUs of {@code cpu_dedicated_set} (online only). The guest's vCPUs
 *     are split evenly over {@code hw:numa_nodes} guest nodes (one without it), and each guest
 *     node must fit on its own host node, as in Nova; among nodes that fit, the one with the
 *     least room left is used, so large holes stay for large guests.
 * <li>{@code hw:cpu_thread_policy}: {@code prefer} and no policy fill the free sibling threads of
 *     a core before the next core; {@code isolate} takes whole free cores, one vCPU each, and
 *     reserves the siblings; {@code require} packs like prefer but only on nodes with SMT.
 * <li>{@code hw:emulator_threads_policy=isolate} reserves one more pCPU on the host node of guest
 *     node 0: the first free one in core order after the vCPUs are pinned.
 * <li>Floating vCPUs (shared policy, or the unpinned vCPUs of {@code mixed}) run on the shared
 *     CPUs of their host node ({@code cpu_shared_set}, or every online CPU on a host with neither
 *     set); guests without a NUMA topology float over all of the host's shared CPUs.
 * <li>The emulator cpuset follows Nova's four rules in order ({@link EmulatorRule}).
 * </ul>
 */
public final class Planner {

    private final HostPolicy host;
    private final HostIndex index;
    private final Optional<GuestCpu> guestCpu;
    private final List<Reason> guestCpuReasons;
    private final String dedicatedSetting;
    private final String sharedSetting;

    private Planner(HostPolicy host, HostTopology topology) {
        this.host = host;
        this.index = new HostIndex(host, topology);
        List<Reason> cpuReasons = new ArrayList<>(3);
        this.guestCpu = GuestCpuRule.of(host, topology.arch(), cpuReasons);
        this.guestCpuReasons = List.copyOf(cpuReasons);
        this.dedicatedSetting = host.dedicatedSet().map(s -> "cpu_dedicated_set=" + s).orElse("cpu_dedicated_set not set");
        this.sharedSetting = host.sharedSet().map(s -> "cpu_shared_set=" + s)
                .orElse(host.dedicatedSet().isPresent() ? "cpu_shared_set not set"
                        : "cpu_shared_set and cpu_dedicated_set not set: all online CPUs are shared");
    }

    /**
     * A planner for one host, with its indexes built.
     *
     * @throws InvalidInputException when the host's CPU settings cannot give a CPU element
     *     ({@code cpu_mode=custom} without {@code cpu_models})
     */
    public static Planner forHost(HostPolicy host, HostTopology topology) {
        return new Planner(host, topology);
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
        RealtimeEmulatorCheck.check(request, host);
        int vcpus = request.vcpus();
        CpuSet pinned = request.pinnedVcpus();
        CpuSet realtime = request.realtimeVcpus().orElse(CpuSet.empty());
        List<Reason> reasons = new ArrayList<>(16);

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

        List<VcpuPlacement> placements = new ArrayList<>(vcpus);
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
            placements.add(rt ? new VcpuPlacement(v, pcpus, isPinned, SchedPolicy.FIFO, host.realtimePriority())
                    : new VcpuPlacement(v, pcpus, isPinned, SchedPolicy.OTHER, 0));
        }
        if (numaGuest) {
            explainPlacement(request, pinning, perNode, guestNodes, placements, reasons);
        } else {
            reasons.add(new Reason("vCPUs " + CpuSet.firstN(vcpus) + " float on shared CPUs " + index.hostShared,
                    cite(request, RequestSetting.CPU_POLICY, "hw:cpu_policy not set") + ", " + sharedSetting));
        }

        Optional<RealtimePlan> realtimePlan = Optional.empty();
        if (request.isRealtime()) {
            String mask = cite(request, RequestSetting.REALTIME_MASK, request.source(RequestSetting.REALTIME));
            realtimePlan = Optional.of(new RealtimePlan(realtime, SchedPolicy.FIFO, host.realtimePriority()));
            reasons.add(new Reason("vCPUs " + realtime + " realtime: SCHED_FIFO", mask));
            reasons.add(new Reason("realtime priority " + host.realtimePriority(),
                    "realtime_scheduler_priority=" + host.realtimePriority()));
            CpuSet housekeeping = CpuSet.firstN(vcpus).minus(realtime);
            if (!housekeeping.isEmpty()) {
                reasons.add(new Reason("vCPUs " + housekeeping + " stay SCHED_OTHER", mask));
            }
        }

        EmulatorPlacement emulator = emulator(request, pinning, nonRealtimePinned, nonRealtimeFloatsOn, numaGuest,
                reasons);
        MemoryPlan memory = new MemoryPlan(request.isRealtime() || request.lockedMemory(), request.isRealtime());
        if (request.isRealtime()) {
            reasons.add(new Reason("guest memory locked, KSM page sharing off", request.source(RequestSetting.REALTIME)));
        }
        if (request.lockedMemory()) {
            reasons.add(new Reason("guest memory locked", request.source(RequestSetting.LOCKED_MEMORY)));
        }
        Optional<Boolean> hpet = hpet(request, reasons);
        reasons.addAll(guestCpuReasons);
        return new TuningPlan(placements, realtimePlan, emulator,
                pinning != null && pinning.emulatorPcpu >= 0 ? OptionalInt.of(pinning.emulatorPcpu) : OptionalInt.empty(),
                pinning == null ? CpuSet.empty() : CpuSet.fromMask(pinning.reserved),
                memory, hpet, guestCpu, reasons);
    }

    private void explainPlacement(TuningRequest request, Pinning pinning, int perNode, int guestNodes,
            List<VcpuPlacement> placements, List<Reason> reasons) {
        String numa = cite(request, RequestSetting.NUMA_NODES, "hw:numa_nodes not set: one guest NUMA node");
        String pinSource = request.source(Pinning.pinnedSource(request));
        for (int g = 0; g < guestNodes; g++) {
            int hostNode = index.nodeIds[pinning.hostNodeOf[g]];
            long[] pinnedVcpus = new long[(placements.size() >>> 6) + 1];
            long[] pcpus = new long[index.words];
            CpuSet floating = CpuSet.empty();
            for (int v = g * perNode; v < (g + 1) * perNode; v++) {
                VcpuPlacement p = placements.get(v);
                if (p.pinned()) {
                    pinnedVcpus[v >>> 6] |= 1L << v;
                    int pcpu = p.pcpus().first();
                    pcpus[pcpu >>> 6] |= 1L << pcpu;
                } else {
                    floating = floating.with(v);
                }
            }
            String where = guestNodes == 1 ? "" : "guest NUMA node " + g + ": ";
            reasons.add(new Reason(where + "vCPUs " + CpuSet.range(g * perNode, (g + 1) * perNode - 1)
                    + " on host NUMA node " + hostNode, numa));
            if (!CpuSet.fromMask(pinnedVcpus).isEmpty()) {
                reasons.add(new Reason(where + "vCPUs " + CpuSet.fromMask(pinnedVcpus) + " pinned 1:1 to pCPUs "
                        + CpuSet.fromMask(pcpus) + ", free in " + dedicatedSetting, pinSource));
            }
            if (!floating.isEmpty()) {
                reasons.add(new Reason(where + "vCPUs " + floating + " float on host node " + hostNode
                        + "'s shared CPUs " + index.nodeShared[pinning.hostNodeOf[g]],
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
            reasons.add(new Reason("one pinned vCPU per whole core" + (reserved.isEmpty() ? ""
                    : "; sibling pCPUs " + reserved + " held idle"), threadSource));
        } else if (threads == CpuThreadPolicy.REQUIRE) {
            reasons.add(new Reason("pinned vCPUs fill SMT sibling threads core by core", threadSource));
        } else {
            reasons.add(new Reason("pinned vCPUs fill free sibling threads core by core", threadSource));
        }
    }

    private EmulatorPlacement emulator(TuningRequest request, Pinning pinning, long[] nonRealtimePinned,
            boolean[] nonRealtimeFloatsOn, boolean numaGuest, List<Reason> reasons) {
        EmulatorThreadsPolicy policy = request.emulatorThreadsPolicy().orElse(null);
        String policySource = cite(request, RequestSetting.EMULATOR_THREADS_POLICY, "hw:emulator_threads_policy not set");
        if (policy == EmulatorThreadsPolicy.ISOLATE) {
            reasons.add(new Reason("emulator threads on pCPU " + pinning.emulatorPcpu + ", reserved on host NUMA node "
                    + index.nodeIds[pinning.hostNodeOf[0]] + " of guest node 0", policySource));
            return new EmulatorPlacement(index.single(pinning.emulatorPcpu), EmulatorRule.ISOLATE);
        }
        if (policy == EmulatorThreadsPolicy.SHARE && host.sharedSet().isPresent()) {
            if (index.hostShared.isEmpty()) {
                throw InvalidInputException.invalid("cpu_shared_set", host.sharedSet().get().format(),
                        "cpu_shared_set " + host.sharedSet().get() + " has no online CPU for the emulator threads");
            }
            reasons.add(new Reason("emulator threads on the online shared CPUs " + index.hostShared,
                    policySource + ", " + sharedSetting));
            return new EmulatorPlacement(index.hostShared, EmulatorRule.SHARE_SHARED_SET);
        }
        CpuSet cpus = numaGuest ? CpuSet.fromMask(nonRealtimePinned) : index.hostShared;
        for (int h = 0; h < nonRealtimeFloatsOn.length; h++) {
            if (nonRealtimeFloatsOn[h]) {
                cpus = cpus.union(index.nodeShared[h]);
            }
        }
        String why = policy == EmulatorThreadsPolicy.SHARE ? policySource + ", " + sharedSetting : policySource;
        if (request.isRealtime()) {
            reasons.add(new Reason("emulator threads on " + cpus + ", the pCPUs of the non-realtime vCPUs",
                    why + ", " + cite(request, RequestSetting.REALTIME_MASK, request.source(RequestSetting.REALTIME))));
            return new EmulatorPlacement(cpus, EmulatorRule.NON_REALTIME_VCPUS);
        }
        reasons.add(new Reason("emulator threads on " + cpus + ", the guest's own pCPUs", why));
        return new EmulatorPlacement(cpus, EmulatorRule.GUEST_PCPUS);
    }

    /** The hpet timer as Nova's {@code _set_kvm_timers} writes it: kvm only, x86 guests only. */
    private Optional<Boolean> hpet(TuningRequest request, List<Reason> reasons) {
        String hpetSource = cite(request, RequestSetting.HPET, "hw_time_hpet not set");
        if (!host.virtType().equals("kvm")) {
            reasons.add(new Reason("no guest timers (pit, rtc, hpet)", "virt_type=" + host.virtType()));
            return Optional.empty();
        }
        String arch = request.guestArch();
        if (!arch.equals("x86_64") && !arch.equals("i686")) {
            reasons.add(new Reason("no hpet timer on a " + arch + " guest",
                    cite(request, RequestSetting.GUEST_ARCH, "guest architecture " + arch)));
            return Optional.empty();
        }
        reasons.add(new Reason("hpet timer present=" + (request.hpet() ? "yes" : "no"), hpetSource + ", virt_type=kvm"));
        return Optional.of(request.hpet());
    }

    /** The request's {@code key=value} for {@code setting}, or {@code absent} when it was not given. */
    private static String cite(TuningRequest request, RequestSetting setting, String absent) {
        return request.sources().containsKey(setting) ? request.source(setting) : absent;
    }
}
