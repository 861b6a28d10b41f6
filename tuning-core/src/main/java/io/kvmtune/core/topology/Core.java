package io.kvmtune.core.topology;

import io.kvmtune.core.cpu.CpuSet;

/**
 * One physical core: the SMT sibling threads that share its execution units.
 *
 * @param packageId the socket ({@code physical_package_id})
 * @param dieId the die within the package ({@code die_id}; 0 where the kernel has none)
 * @param coreId the core's id within its die ({@code core_id}; not unique across packages)
 * @param threads its online sibling threads, never empty; one CPU on a host without SMT
 */
public record Core(int packageId, int dieId, int coreId, CpuSet threads) {

    public Core {
        if (threads.isEmpty()) {
            throw new IllegalArgumentException("core " + packageId + "/" + dieId + "/" + coreId + " has no threads");
        }
    }
}
