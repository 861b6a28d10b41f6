package io.kvmtune.core.plan;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.CpuPolicy;
import io.kvmtune.core.spec.CpuThreadPolicy;
import io.kvmtune.core.spec.EmulatorThreadsPolicy;
import io.kvmtune.core.spec.MemPageSize;
import io.kvmtune.core.spec.RequestSetting;
import io.kvmtune.core.spec.TuningRequest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds {@link TuningRequest}s as validation would produce them, with the sources it would
 * record, so planner tests read like the extra specs they stand for.
 */
public final class Requests {

    private final int vcpus;
    private final CpuPolicy policy;
    private final CpuSet pinned;
    private final Map<RequestSetting, String> sources = new EnumMap<>(RequestSetting.class);
    private CpuThreadPolicy threadPolicy;
    private CpuSet realtime;
    private EmulatorThreadsPolicy emulator;
    private boolean lockedMemory;
    private String pageSize;
    private int numaNodes;
    private boolean hpet;
    private String arch = "x86_64";

    private Requests(int vcpus, CpuPolicy policy, CpuSet pinned) {
        this.vcpus = vcpus;
        this.policy = policy;
        this.pinned = pinned;
        sources.put(RequestSetting.VCPUS, "vcpus=" + vcpus);
    }

    /** {@code hw:cpu_policy=dedicated}. */
    public static Requests dedicated(int vcpus) {
        Requests r = new Requests(vcpus, CpuPolicy.DEDICATED, CpuSet.firstN(vcpus));
        r.sources.put(RequestSetting.CPU_POLICY, "hw:cpu_policy=dedicated");
        return r;
    }

    /** No CPU policy: every vCPU floats. */
    public static Requests shared(int vcpus) {
        return new Requests(vcpus, CpuPolicy.SHARED, CpuSet.empty());
    }

    /** {@code hw:cpu_policy=mixed} with {@code hw:cpu_dedicated_mask=mask}. */
    public static Requests mixed(int vcpus, String mask) {
        Requests r = new Requests(vcpus, CpuPolicy.MIXED, CpuSet.parse(mask));
        r.sources.put(RequestSetting.CPU_POLICY, "hw:cpu_policy=mixed");
        r.sources.put(RequestSetting.PINNED_VCPUS, "hw:cpu_dedicated_mask=" + mask);
        return r;
    }

    /** {@code hw:cpu_realtime=yes} with the realtime set the mask gives (already resolved). */
    public Requests realtime(String maskKeyValue, CpuSet vcpusOfMask) {
        realtime = vcpusOfMask;
        sources.put(RequestSetting.REALTIME, "hw:cpu_realtime=yes");
        sources.put(RequestSetting.REALTIME_MASK, maskKeyValue);
        return this;
    }

    public Requests threads(CpuThreadPolicy p) {
        threadPolicy = p;
        sources.put(RequestSetting.CPU_THREAD_POLICY, "hw:cpu_thread_policy=" + p.label());
        return this;
    }

    public Requests emulator(EmulatorThreadsPolicy p) {
        emulator = p;
        sources.put(RequestSetting.EMULATOR_THREADS_POLICY, "hw:emulator_threads_policy=" + p.label());
        return this;
    }

    public Requests numaNodes(int n) {
        numaNodes = n;
        sources.put(RequestSetting.NUMA_NODES, "hw:numa_nodes=" + n);
        return this;
    }

    public Requests lockedMemory(String pageSizeValue) {
        lockedMemory = true;
        pageSize = pageSizeValue;
        sources.put(RequestSetting.LOCKED_MEMORY, "hw:locked_memory=true");
        sources.put(RequestSetting.MEM_PAGE_SIZE, "hw:mem_page_size=" + pageSizeValue);
        return this;
    }

    public Requests hpet(boolean on) {
        hpet = on;
        sources.put(RequestSetting.HPET, "hw_time_hpet=" + on);
        return this;
    }

    public Requests arch(String guestArch) {
        arch = guestArch;
        sources.put(RequestSetting.GUEST_ARCH, "hw_architecture=" + guestArch);
        return this;
    }

    public TuningRequest build() {
        return new TuningRequest(vcpus, policy, Optional.ofNullable(threadPolicy), pinned, Optional.ofNullable(realtime),
                Optional.ofNullable(emulator), lockedMemory,
                Optional.ofNullable(pageSize).map(v -> MemPageSize.parse("hw:mem_page_size", v)),
                numaNodes == 0 ? OptionalInt.empty() : OptionalInt.of(numaNodes), hpet, arch, sources);
    }
}
