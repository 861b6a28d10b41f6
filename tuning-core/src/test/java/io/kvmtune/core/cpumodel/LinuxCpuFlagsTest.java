package io.kvmtune.core.cpumodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinuxCpuFlagsTest extends StandardMapFixture {

    @Test
    void flagsSpelledLikeLibvirtOrLikeOneOfItsAliasesMapDirectly() {
        assertThat(LinuxCpuFlags.byName("pni", map)).contains("pni");
        assertThat(LinuxCpuFlags.byName("sse4_1", map)).contains("sse4.1");
        assertThat(LinuxCpuFlags.byName("arch_capabilities", map)).contains("arch-capabilities");
    }

    @Test
    void underscoresBecomeDashesDotsOrNothingInThatOrder() {
        assertThat(LinuxCpuFlags.byName("sha_ni", map)).contains("sha-ni");
        assertThat(LinuxCpuFlags.byName("avx512_vnni", map)).contains("avx512vnni");
        assertThat(LinuxCpuFlags.byName("cr8_legacy", map)).contains("cr8legacy");
    }

    @Test
    void realExceptionsComeFromTheTable() {
        assertThat(LinuxCpuFlags.byName("tsc_deadline_timer", map)).contains("tsc-deadline");
        assertThat(LinuxCpuFlags.byName("nonstop_tsc", map)).contains("invtsc");
        assertThat(LinuxCpuFlags.byName("constant_tsc", map)).isEmpty();
    }

    @Test
    void kernelComputedSpeculationFlagsMapToTheHostVendorsOwnBits() {
        LinuxCpuFlags.Named amd = LinuxCpuFlags.toLibvirt(List.of("fpu", "ibpb", "stibp", "ibrs"),
                Optional.of("AMD"), 0x19, map);
        assertThat(amd.features()).containsExactly("amd-stibp", "fpu", "ibpb");
        assertThat(amd.unmapped()).containsExactly("ibrs");

        LinuxCpuFlags.Named intel = LinuxCpuFlags.toLibvirt(List.of("fpu", "ibrs", "ibpb", "stibp"),
                Optional.of("Intel"), 6, map);
        assertThat(intel.features()).containsExactly("fpu", "spec-ctrl");
        assertThat(intel.unmapped()).containsExactly("stibp");
    }

    @Test
    void speculationFlagsFollowTheKernelsRules() {
        assertThat(LinuxCpuFlags.speculationControl(Set.of("ibrs"), Optional.of("Intel"), 6))
                .as("Intel's SPEC_CTRL sets both ibrs and ibpb").isEmpty();
        assertThat(LinuxCpuFlags.speculationControl(Set.of("ssbd"), Optional.of("AMD"), 0x17))
                .as("families 0x15-0x17 may set ssbd for the LS_CFG MSR").isEmpty();
        assertThat(LinuxCpuFlags.speculationControl(Set.of("ssbd"), Optional.of("AMD"), 0x19))
                .containsExactly("amd-ssbd");
        assertThat(LinuxCpuFlags.speculationControl(Set.of("ssbd", "virt_ssbd"), Optional.of("AMD"), 0x19))
                .as("virt_ssbd means ssbd came from the virtualised form").isEmpty();
        assertThat(LinuxCpuFlags.speculationControl(Set.of("ibrs", "ibpb"), Optional.empty(), 6)).isEmpty();
    }

    @Test
    void kernelDefinedFlagsAreReportedUnmapped() {
        LinuxCpuFlags.Named named = LinuxCpuFlags.toLibvirt(List.of("fpu", "constant_tsc", "rep_good", "split_lock_detect"),
                Optional.of("Intel"), 6, map);

        assertThat(named.features()).containsExactly("fpu");
        assertThat(named.unmapped()).containsExactly("constant_tsc", "rep_good", "split_lock_detect");
    }
}
