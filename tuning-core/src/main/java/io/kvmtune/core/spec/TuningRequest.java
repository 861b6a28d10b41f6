package io.kvmtune.core.spec;

import io.kvmtune.core.cpu.CpuSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * A guest's tuning request after validation with Nova's rules: every value typed, every
 * precedence (flavor over image, image mask over flavor mask) already resolved, every conflict
 * already rejected. The planner reads only this.
 *
 * @param vcpus the number of vCPUs, at least 1
 * @param cpuPolicy the effective CPU policy
 * @param threadPolicy {@code hw:cpu_thread_policy}, if set (only meaningful for pinned vCPUs)
 * @param pinnedVcpus the vCPUs that get a dedicated pCPU: all for {@code dedicated}, the dedicated
 *     or realtime mask for {@code mixed}, none for {@code shared}
 * @param realtimeVcpus the realtime vCPUs, present exactly when {@code hw:cpu_realtime} is true;
 *     never empty, a subset of the pinned vCPUs
 * @param emulatorThreadsPolicy {@code hw:emulator_threads_policy}, if set
 * @param lockedMemory {@code hw:locked_memory}/{@code hw_locked_memory} (realtime locks memory
 *     regardless; the planner adds that)
 * @param memPageSize the page size Nova's precedence gives ({@code hw:mem_page_size}, or the
 *     image's {@code hw_mem_page_size} where the flavor says {@code large} or {@code any}), if any
 * @param numaNodes {@code hw:numa_nodes}, if set
 * @param hpet {@code hw_time_hpet}: true when requested
 * @param guestArch the canonical guest architecture ({@code x86_64}, {@code i686},
 *     {@code aarch64}, ...), from the image or else the host
 * @param sources where each setting came from, as {@code key=value} or a short phrase for
 *     defaults; settings absent from the map were neither given nor defaulted
 * @param cpuTraits the traits the flavor requires ({@code trait:HW_CPU_X86_AVX2=required}), which
 *     choose the CPU model under {@code cpu_mode=custom}
 * @param windows the image's {@code os_type} is {@code windows}: Nova gives such guests a
 *     localtime clock and the Hyper-V clock timer
 * @param memoryMb the guest's memory in MiB (the flavor's {@code memory_mb}), if known: each guest
 *     NUMA node gets an equal share, which must fit its host node (in free pages of the chosen
 *     size when the guest asks for a page size)
 */
public record TuningRequest(
        int vcpus,
        CpuPolicy cpuPolicy,
        Optional<CpuThreadPolicy> threadPolicy,
        CpuSet pinnedVcpus,
        Optional<CpuSet> realtimeVcpus,
        Optional<EmulatorThreadsPolicy> emulatorThreadsPolicy,
        boolean lockedMemory,
        Optional<MemPageSize> memPageSize,
        OptionalInt numaNodes,
        boolean hpet,
        String guestArch,
        Map<RequestSetting, String> sources,
        Set<String> cpuTraits,
        boolean windows,
        OptionalLong memoryMb) {

    public TuningRequest {
        if (vcpus < 1) {
            throw new IllegalArgumentException("a guest needs at least one vCPU, not " + vcpus);
        }
        if (!CpuSet.firstN(vcpus).containsAll(pinnedVcpus)) {
            throw new IllegalArgumentException("pinned vCPUs " + pinnedVcpus + " exceed 0.." + (vcpus - 1));
        }
        if (realtimeVcpus.isPresent()
                && (realtimeVcpus.get().isEmpty() || !pinnedVcpus.containsAll(realtimeVcpus.get()))) {
            throw new IllegalArgumentException("realtime vCPUs " + realtimeVcpus.get()
                    + " must be a non-empty subset of the pinned vCPUs " + pinnedVcpus);
        }
        if (memoryMb.isPresent() && memoryMb.getAsLong() < 1) {
            throw new IllegalArgumentException("a guest needs memory, not " + memoryMb.getAsLong() + " MiB");
        }
        sources = sources.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(sources));
        cpuTraits = cpuTraits.isEmpty() ? Set.of() : Collections.unmodifiableSortedSet(new TreeSet<>(cpuTraits));
    }

    /** A request whose flavor requires no traits, for a guest that is not Windows and whose memory size is not known. */
    public TuningRequest(int vcpus, CpuPolicy cpuPolicy, Optional<CpuThreadPolicy> threadPolicy, CpuSet pinnedVcpus,
            Optional<CpuSet> realtimeVcpus, Optional<EmulatorThreadsPolicy> emulatorThreadsPolicy, boolean lockedMemory,
            Optional<MemPageSize> memPageSize, OptionalInt numaNodes, boolean hpet, String guestArch,
            Map<RequestSetting, String> sources) {
        this(vcpus, cpuPolicy, threadPolicy, pinnedVcpus, realtimeVcpus, emulatorThreadsPolicy, lockedMemory, memPageSize,
                numaNodes, hpet, guestArch, sources, Set.of(), false, OptionalLong.empty());
    }

    public boolean isRealtime() {
        return realtimeVcpus.isPresent();
    }

    /** Where {@code setting} came from, for the plan's reasons; "default" when not recorded. */
    public String source(RequestSetting setting) {
        return sources.getOrDefault(setting, "default");
    }
}
