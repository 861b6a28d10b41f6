package io.kvmtune.core.cpumodel;

import io.kvmtune.core.plan.HostCpuModels;
import io.kvmtune.core.spec.HostPolicy;

/**
 * The host policy after Nova's CPU model rules ran on it.
 *
 * @param policy the policy with {@code cpu_models} in libvirt's spelling
 * @param models the trait-based model choice and the reasons saying what was checked
 */
public record CpuModelCheck(HostPolicy policy, HostCpuModels models) {
}
