package io.kvmtune.core.cpumodel;

import static io.kvmtune.core.cpumodel.CpuModelReportTest.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.linux.KvmCpuid;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CPU model is runnable only when KVM offers every feature, whatever /proc/cpuinfo lists. */
class KvmOfferedCpuTest {

    @TempDir
    Path dir;

    @Test
    void onlyFeaturesWhoseCpuidBitsKvmOffersCount() {
        CpuMap map = CpuMapReader.read(FakeCpuMap.standard(dir), "x86");
        HostCpu kernel = host("Intel", 6, 85, "fpu", "sse2", "pni", "sse4.1", "avx2", "mds-no");
        // A PVM-like offer: leaf 1 without pni and sse4.1 (ECX bits 0, 19), leaf 7 with avx2, x2apic-style extras.
        List<KvmCpuid.Entry> kvm = List.of(
                new KvmCpuid.Entry(1, 0, 0, 0, 0x01000000, 0x04000001),
                new KvmCpuid.Entry(7, 0, 0, 0x20, 0, 0));

        HostCpu offered = KvmOfferedCpu.of(map, kernel, kvm, java.util.Map.of());

        assertThat(offered.features()).containsExactly("avx2", "fpu", "sse2", "tsc-deadline");
        assertThat(offered.vendor()).isEqualTo(kernel.vendor());
        assertThat(CpuModelReport.of(map, kernel).runnableModels()).contains("Oldlake", "Newlake");
        assertThat(CpuModelReport.of(map, offered).runnableModels()).as("pni is withheld")
                .containsExactly("basic");
    }

    /**
     * mds-no is bit 5 of IA32_ARCH_CAPABILITIES (MSR 0x10a, libvirt's {@code <msr index='0x10a'
     * eax='0x00000020'/>}); this host's KVM offers 0x400000000c000069 there, bit 5 set.
     */
    @Test
    void msrFeaturesCountWhenKvmsFeatureMsrsHaveTheirBits() {
        CpuMap map = CpuMapReader.read(FakeCpuMap.standard(dir), "x86");
        HostCpu kernel = host("Intel", 6, 85, "fpu", "mds-no");
        List<KvmCpuid.Entry> kvm = List.of(new KvmCpuid.Entry(1, 0, 0, 0, 0, 0x00000001));

        assertThat(KvmOfferedCpu.of(map, kernel, kvm, java.util.Map.of(0x10a, 0x400000000c000069L)).features())
                .containsExactly("fpu", "mds-no");
        assertThat(KvmOfferedCpu.of(map, kernel, kvm, java.util.Map.of(0x10a, 0x400000000c000049L)).features())
                .as("bit 5 clear").containsExactly("fpu");
        assertThat(KvmOfferedCpu.of(map, kernel, kvm, java.util.Map.of()).features()).as("no feature MSRs")
                .containsExactly("fpu");
    }
}
