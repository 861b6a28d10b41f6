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
 */
public record HostPolicy(
        Optional<CpuSet> dedicatedSet,
        Optional<CpuSet> sharedSet,
        String virtType,
        Optional<CpuMode> cpuMode,
        List<String> cpuModels,
        List<CpuFeature> extraFlags,
        int realtimePriority) {

    public HostPolicy {
        cpuModels = List.copyOf(cpuModels);
        extraFlags = List.copyOf(extraFlags);
    }

    /** Built-in defaults: no dedicated or shared set, kvm, no CPU mode, priority 1. */
    public static HostPolicy defaults() {
        return new HostPolicy(Optional.empty(), Optional.empty(), "kvm", Optional.empty(), List.of(), List.of(), 1);
    }
}
