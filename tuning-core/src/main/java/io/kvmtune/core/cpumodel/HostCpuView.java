package io.kvmtune.core.cpumodel;

/**
 * A host CPU and where it was seen, for messages and the plan's reasons.
 *
 * @param cpu the CPU's vendor, family, model and features in libvirt's names
 * @param source where they come from: "as KVM offers it to guests", "/proc/cpuinfo", a declared topology
 */
public record HostCpuView(HostCpu cpu, String source) {
}
