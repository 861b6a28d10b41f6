package io.kvmtune.core.spec;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.CpuFeature;
import java.util.List;
import java.util.Optional;

/**
 * The host's own settings in nova.conf vocabulary, validated with Nova's start-up checks (sets
 * parse non-empty and are disjoint, CPU mode and model rules).
 *
 * @param dedicatedSet {@code [compute] cpu_dedicated_set}: pCPUs for pinned vCPUs
 * @param sharedSet {@code [compute] cpu_shared_set}: pCPUs for floating vCPUs and shared emulator threads
 * @param virtType {@code [libvirt] virt_type}: {@code kvm} (default) or {@code qemu}, ...
 * @param cpuMode {@code [libvirt] cpu_mode}, if set
 * @param cpuModels {@code [libvirt] cpu_models} (or the deprecated {@code cpu_model}), in libvirt's spelling
 * @param extraFlags {@code [libvirt] cpu_model_extra_flags} as features
 * @param realtimePriority {@code [libvirt] realtime_scheduler_priority}, 1..99, default 1
 * @param vcpuPinSet the legacy {@code [DEFAULT] vcpu_pin_set}: where present, the CPUs floating
 *     vCPUs run on and, without {@code cpu_dedicated_set}, the CPUs pinned vCPUs get
 * @param packNumaCells {@code [compute] packing_host_numa_cells_allocation_strategy}: fill the
 *     busiest host NUMA cell first instead of spreading (Nova's default since 26.0.0: false)
 */
public record HostPolicy(
        Optional<CpuSet> dedicatedSet,
        Optional<CpuSet> sharedSet,
        String virtType,
        Optional<CpuMode> cpuMode,
        List<String> cpuModels,
        List<CpuFeature> extraFlags,
        int realtimePriority,
        Optional<CpuSet> vcpuPinSet,
        boolean packNumaCells) {

    public HostPolicy {
        cpuModels = List.copyOf(cpuModels);
        extraFlags = List.copyOf(extraFlags);
    }

    /** A policy without the legacy {@code vcpu_pin_set}, spreading guests over NUMA cells. */
    public HostPolicy(Optional<CpuSet> dedicatedSet, Optional<CpuSet> sharedSet, String virtType,
            Optional<CpuMode> cpuMode, List<String> cpuModels, List<CpuFeature> extraFlags, int realtimePriority) {
        this(dedicatedSet, sharedSet, virtType, cpuMode, cpuModels, extraFlags, realtimePriority, Optional.empty(), false);
    }

    /** The same policy with other CPU models (in libvirt's spelling, say). */
    public HostPolicy withCpuModels(List<String> models) {
        return new HostPolicy(dedicatedSet, sharedSet, virtType, cpuMode, models, extraFlags, realtimePriority,
                vcpuPinSet, packNumaCells);
    }

    /** Built-in defaults: no dedicated or shared set, kvm, no CPU mode, priority 1. */
    public static HostPolicy defaults() {
        return new HostPolicy(Optional.empty(), Optional.empty(), "kvm", Optional.empty(), List.of(), List.of(), 1);
    }
}
