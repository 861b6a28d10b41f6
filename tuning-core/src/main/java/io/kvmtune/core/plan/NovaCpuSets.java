package io.kvmtune.core.plan;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.HostPolicy;

/**
 * The host CPUs Nova's libvirt driver offers guests, from the configured sets
 * ({@code _get_vcpu_available}, {@code _get_pcpu_available} and the legacy fallback of
 * {@code _get_host_numa_topology}), with how the plan's reasons name them.
 *
 * <ul>
 * <li>floating vCPUs: {@code vcpu_pin_set} if set, else {@code cpu_shared_set}, else none when
 *     only {@code cpu_dedicated_set} is set, else every online CPU;
 * <li>pinned vCPUs: {@code cpu_dedicated_set}; without it, the floating CPUs above, unless
 *     {@code cpu_shared_set} is set without {@code vcpu_pin_set} (then none). So a legacy
 *     {@code vcpu_pin_set} alone, or no set at all, serves pinned and floating guests alike.
 * </ul>
 *
 * @param shared the CPUs floating vCPUs run on, online only
 * @param dedicated the CPUs pinned vCPUs get, online only
 * @param sharedSetting the setting behind {@code shared}, for reasons
 * @param dedicatedSetting the setting behind {@code dedicated}, for reasons
 */
record NovaCpuSets(CpuSet shared, CpuSet dedicated, String sharedSetting, String dedicatedSetting) {

    static NovaCpuSets of(HostPolicy policy, CpuSet online) {
        CpuSet shared;
        String sharedSetting;
        if (policy.vcpuPinSet().isPresent()) {
            shared = policy.vcpuPinSet().get().intersect(online);
            sharedSetting = "vcpu_pin_set=" + policy.vcpuPinSet().get();
        } else if (policy.sharedSet().isPresent()) {
            shared = policy.sharedSet().get().intersect(online);
            sharedSetting = "cpu_shared_set=" + policy.sharedSet().get();
        } else if (policy.dedicatedSet().isPresent()) {
            shared = CpuSet.empty();
            sharedSetting = "cpu_shared_set not set";
        } else {
            shared = online;
            sharedSetting = "cpu_shared_set and cpu_dedicated_set not set: all online CPUs are shared";
        }
        if (policy.dedicatedSet().isPresent()) {
            return new NovaCpuSets(shared, policy.dedicatedSet().get().intersect(online), sharedSetting,
                    "cpu_dedicated_set=" + policy.dedicatedSet().get());
        }
        if (policy.vcpuPinSet().isPresent()) {
            return new NovaCpuSets(shared, shared, sharedSetting, "vcpu_pin_set=" + policy.vcpuPinSet().get()
                    + " (legacy: pinned and floating vCPUs share it)");
        }
        if (policy.sharedSet().isPresent()) {
            return new NovaCpuSets(shared, CpuSet.empty(), sharedSetting, "cpu_dedicated_set not set");
        }
        return new NovaCpuSets(shared, shared, sharedSetting,
                "no CPU set configured: as Nova's legacy fallback, any online CPU may be pinned");
    }
}
