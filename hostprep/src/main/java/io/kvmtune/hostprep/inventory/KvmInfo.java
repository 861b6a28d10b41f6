package io.kvmtune.hostprep.inventory;

import io.kvmtune.core.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * KVM on this host.
 *
 * @param devKvm whether {@code /dev/kvm} exists
 * @param vendorModule the loaded vendor module ({@code kvm_intel}, {@code kvm_amd}, ...), if any
 * @param kvmParameters {@code /sys/module/kvm/parameters/*}
 * @param vendorParameters the vendor module's parameters
 * @param hardwareVirt {@code vmx}, {@code svm}, or empty when the CPU flags show neither
 * @param hostHypervisor the hypervisor this host itself runs under (a nested setup), if any
 * @param itlbMultihit {@code /sys/devices/system/cpu/vulnerabilities/itlb_multihit}, if present
 */
public record KvmInfo(boolean devKvm, Optional<String> vendorModule, Map<String, String> kvmParameters,
        Map<String, String> vendorParameters, Optional<String> hardwareVirt, Optional<String> hostHypervisor,
        Optional<String> itlbMultihit) implements JsonWritable {

    public KvmInfo {
        kvmParameters = Map.copyOf(kvmParameters);
        vendorParameters = Map.copyOf(vendorParameters);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dev_kvm", devKvm);
        m.put("vendor_module", vendorModule.orElse(null));
        m.put("hardware_virtualization", hardwareVirt.orElse(null));
        m.put("host_hypervisor", hostHypervisor.orElse(null));
        m.put("parameters", new TreeMap<>(kvmParameters));
        m.put("vendor_parameters", new TreeMap<>(vendorParameters));
        m.put("itlb_multihit", itlbMultihit.orElse(null));
        return m;
    }
}
