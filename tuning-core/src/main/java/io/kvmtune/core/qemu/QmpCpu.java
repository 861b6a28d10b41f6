package io.kvmtune.core.qemu;

/**
 * One entry of {@code query-cpus-fast}.
 *
 * @param cpuIndex QEMU's {@code cpu-index}, which is libvirt's vCPU id
 * @param threadId the host thread running this vCPU
 * @param qomPath where the CPU sits in QEMU's object tree; {@code /machine/peripheral/<id>} for a
 *     hot-plugged one
 */
public record QmpCpu(int cpuIndex, int threadId, String qomPath) { }
