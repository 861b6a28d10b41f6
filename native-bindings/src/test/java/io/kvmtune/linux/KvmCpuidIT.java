package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KVM_GET_SUPPORTED_CPUID on the real /dev/kvm: KVM's leaves, read back against the kernel's own view. */
class KvmCpuidIT {

    @Test
    void kvmOffersLeaves0And1WithTheHostsVendorAndFpu() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")),
                "/dev/kvm is missing or not accessible to this user");
        List<KvmCpuid.Entry> leaves = KvmCpuid.supported();

        KvmCpuid.Entry vendorLeaf = leaves.stream().filter(e -> e.function() == 0).findFirst().orElseThrow();
        ByteBuffer vendor = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(vendorLeaf.ebx()).putInt(vendorLeaf.edx()).putInt(vendorLeaf.ecx());
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        assertThat(cpuinfo).contains("vendor_id\t: " + new String(vendor.array(), StandardCharsets.US_ASCII));
        KvmCpuid.Entry features = leaves.stream().filter(e -> e.function() == 1).findFirst().orElseThrow();
        assertThat(features.edx() & 1).as("fpu, CPUID.01H:EDX bit 0").isEqualTo(1);
        assertThat(features.ecx() & (1 << 31)).as("KVM sets the hypervisor bit for its guests").isNotZero();
        assertThat(leaves).as("extended leaves").anyMatch(e -> e.function() == 0x80000001);
    }

    /**
     * KVM_GET_MSR_FEATURE_INDEX_LIST and KVM_GET_MSRS: KVM, which emulates IA32_ARCH_CAPABILITIES for
     * every guest (Linux 4.17+), lists MSR 0x10a among its feature MSRs and gives its value.
     */
    @Test
    void kvmListsArchCapabilitiesAmongItsFeatureMsrs() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")),
                "/dev/kvm is missing or not accessible to this user");
        java.util.Map<Integer, Long> msrs = KvmCpuid.featureMsrs();

        assertThat(msrs).containsKey(0x10a);
        System.out.println("KVM's feature MSRs here: " + msrs.entrySet().stream()
                .map(e -> Integer.toHexString(e.getKey()) + "=" + Long.toHexString(e.getValue())).toList());
    }
}
