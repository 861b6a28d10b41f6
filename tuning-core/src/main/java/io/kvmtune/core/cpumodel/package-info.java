/**
 * libvirt's named CPU models for the host architecture, which of them this host can run, and
 * Nova's CPU model validation.
 *
 * <p>The flow: {@link io.kvmtune.core.cpumodel.CpuMapReader} reads libvirt's installed
 * {@code cpu_map} into a {@link io.kvmtune.core.cpumodel.CpuMap};
 * {@link io.kvmtune.core.cpumodel.HostCpuReader} reads the host's {@code /proc/cpuinfo} and names
 * its features the way libvirt does ({@link io.kvmtune.core.cpumodel.LinuxCpuFlags}); the pure
 * {@link io.kvmtune.core.cpumodel.CpuModelReport#of} says which models run here, what each
 * lacks and which model libvirt's {@code host-model} would start from;
 * {@link io.kvmtune.core.cpumodel.CpuMigrationCheck} compares two hosts' reports; and
 * {@link io.kvmtune.core.cpumodel.NovaCpuModels} checks {@code [libvirt] cpu_models} as Nova's
 * {@code _check_cpu_compatibility} does.
 *
 * <p>Everything here reads the host from {@code /proc/cpuinfo}, the kernel's view. libvirt's
 * {@code virsh domcapabilities} asks QEMU, which asks KVM; on a nested or paravirtualised host KVM
 * may offer guests fewer features than the kernel sees, and then the two lists differ (see
 * {@code CpuModelsDomcapabilitiesIT}).
 */
package io.kvmtune.core.cpumodel;
