package io.kvmtune.core.cpumodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCpuReaderTest {

    @TempDir
    Path mapDir;

    @TempDir
    Path root;

    @Test
    void readsVendorFamilyModelAndTheFlagsEveryCpuHasInLibvirtSpelling() {
        CpuMap map = CpuMapReader.read(FakeCpuMap.standard(mapDir), "x86");
        FakeCpuMap.cpuinfo(root, "GenuineIntel", 6, 85,
                "fpu sse2 pni sse4_1 avx2 tsc_deadline_timer constant_tsc",
                "fpu sse2 pni sse4_1 tsc_deadline_timer constant_tsc");

        HostCpu host = HostCpuReader.read(root, map);

        assertThat(host.vendor()).contains("Intel");
        assertThat(host.family()).isEqualTo(6);
        assertThat(host.model()).isEqualTo(85);
        assertThat(host.features()).as("avx2 is on one CPU only")
                .containsExactly("fpu", "pni", "sse2", "sse4.1", "tsc-deadline");
        assertThat(host.unmappedFlags()).containsExactly("constant_tsc");
    }

    @Test
    void anUnknownVendorStringLeavesTheVendorEmpty() {
        CpuMap map = CpuMapReader.read(FakeCpuMap.standard(mapDir), "x86");
        FakeCpuMap.cpuinfo(root, "CentaurHauls", 7, 1, "fpu");

        assertThat(HostCpuReader.read(root, map).vendor()).isEmpty();
    }

    @Test
    void cpuinfoWithoutFlagsIsInvalidInput() {
        CpuMap map = CpuMapReader.read(FakeCpuMap.standard(mapDir), "x86");

        assertThatThrownBy(() -> HostCpuReader.parse("processor\t: 0\nFeatures\t: fp asimd\n", "/fake/cpuinfo", map))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidCpuinfo");
                    assertThat(e.key()).isEqualTo("/fake/cpuinfo");
                })
                .hasMessageContaining("no 'flags' line");
        assertThatThrownBy(() -> HostCpuReader.parse("cpu family\t: six\nflags\t: fpu\n", "/fake/cpuinfo", map))
                .hasMessageContaining("'cpu family' must be a decimal number, not 'six'");
    }

    @Test
    void onlyX86MapsCanBeComparedByFeatures() {
        CpuMap ppc = CpuMapReader.read(FakeCpuMap.standard(mapDir), "ppc64");

        assertThatThrownBy(() -> HostCpuReader.parse("flags : fpu\n", "x", ppc))
                .isInstanceOf(MissingComponentException.class)
                .hasMessageContaining("x86 only");
    }

    @Test
    void aMissingCpuinfoIsAMissingComponent() {
        CpuMap map = CpuMapReader.read(FakeCpuMap.standard(mapDir), "x86");

        assertThatThrownBy(() -> HostCpuReader.read(root.resolve("none"), map))
                .isInstanceOf(MissingComponentException.class)
                .hasMessageContaining("proc/cpuinfo");
    }
}
