package io.kvmtune.hostprep.inventory;

/**
 * One logical CPU's place in the machine.
 *
 * @param cpu the logical CPU id
 * @param core the core id, unique only within its package (sysfs {@code core_id})
 * @param packageId the physical package (socket)
 * @param node the NUMA node, 0 when the kernel has no NUMA
 */
public record LogicalCpu(int cpu, int core, int packageId, int node) {
}
