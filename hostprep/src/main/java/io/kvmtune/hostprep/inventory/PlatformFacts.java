package io.kvmtune.hostprep.inventory;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The host facts OSHI knows: logical CPUs with their core, package and node, CPU feature flags,
 * the kernel release and the hypervisor the host itself runs under. {@link OshiPlatformFacts}
 * answers for the live host; {@link SysfsPlatformFacts} reads the same from a /proc and /sys tree
 * (OSHI's paths are process-wide settings, so it cannot read a test tree).
 */
public interface PlatformFacts {

    /** Where the facts came from, for the inventory: {@code oshi} or {@code sysfs}. */
    String source();

    /** Logical CPUs present (online ones at least), ascending by id. */
    List<LogicalCpu> logicalCpus();

    /** The flags of {@code /proc/cpuinfo} (vmx, svm, constant_tsc, ...). */
    Set<String> cpuFlags();

    /** The kernel release ({@code uname -r}), empty when it cannot be read. */
    Optional<String> kernelRelease();

    /** The hypervisor this host is a guest of ({@code KVM}, ...), empty on bare metal. */
    Optional<String> virtualization();
}
