package io.kvmtune.core.cpumodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads the cpu_map libvirt installed on this machine and this machine's /proc/cpuinfo. */
class InstalledCpuMapTest {

    CpuMap map;

    @BeforeEach
    void readInstalledMap() {
        Assumptions.assumeTrue(Files.isRegularFile(CpuMapReader.DEFAULT_ROOT.resolve("index.xml")),
                "libvirt's cpu_map is not installed at " + CpuMapReader.DEFAULT_ROOT);
        Assumptions.assumeTrue(List.of("amd64", "x86_64").contains(System.getProperty("os.arch")),
                "this machine is not x86");
        map = CpuMapReader.read(CpuMapReader.DEFAULT_ROOT, "x86");
    }

    @Test
    void theInstalledMapHasLibvirtsX86ModelsWithResolvedFeatures() {
        assertThat(map.vendors()).containsEntry("Intel", "GenuineIntel").containsEntry("AMD", "AuthenticAMD");
        assertThat(map.models()).containsKeys("486", "qemu64", "Penryn", "Haswell-noTSX-IBRS", "EPYC");
        assertThat(map.models().get("Penryn").features()).contains("sse4.1", "ssse3", "pni").doesNotContain("sse4.2");
        assertThat(map.models().get("Haswell-noTSX-IBRS").features()).contains("avx2", "spec-ctrl").doesNotContain("hle");
        assertThat(map.features().get("sse4.1").bits()).containsExactly(
                new CpuRegisterBits(CpuRegisterBits.Source.CPUID, 1, 0, "ecx", 0x80000));
        assertThat(map.models().values()).allSatisfy(m -> assertThat(map.features()).containsKeys(
                m.features().toArray(String[]::new)));
    }

    @Test
    void everyRenamedFlagNamesAFeatureOfTheInstalledMap() {
        assertThat(map.features()).containsKeys(LinuxCpuFlags.RENAMED.values().toArray(String[]::new));
    }

    @Test
    void noTwoLibvirtFeaturesCompeteForOneLinuxSpelling() {
        // The rules turn '_' into '-', '.' or nothing; if two features of the map were reachable
        // from one Linux spelling, the first rule would silently win.
        Map<String, String> byLinuxSpelling = new HashMap<>();
        for (CpuFeatureDefinition f : map.features().values()) {
            List<String> names = new java.util.ArrayList<>(f.aliases());
            names.add(f.name());
            for (String name : names) {
                String linuxish = name.replace('-', '_').replace('.', '_');
                String previous = byLinuxSpelling.putIfAbsent(linuxish, f.name());
                assertThat(previous == null || previous.equals(f.name()))
                        .as("%s is reachable from both %s and %s", linuxish, previous, f.name()).isTrue();
            }
        }
    }

    @Test
    void thisHostsCpuinfoGivesAReportCoveringEveryModel() {
        HostCpu host = HostCpuReader.read(Path.of("/"), map);
        CpuModelReport report = CpuModelReport.of(map, host);

        assertThat(host.vendor()).isPresent();
        assertThat(host.features()).contains("fpu", "sse2", "lm");
        assertThat(report.models()).extracting(ModelVerdict::name).containsExactlyElementsOf(map.models().keySet());
        assertThat(report.runnableModels()).contains("486");
        assertThat(report.hostModel()).isPresent();
        assertThat(report.runnableModels()).contains(report.hostModel().get().model());
        assertThat(CpuModelReport.fromJson(Json.parseObject(Json.write(report)))).isEqualTo(report);
        System.out.println("runnable here: " + report.runnableModels() + "; host-model: " + report.hostModel().get().model()
                + "; unmapped flags: " + host.unmappedFlags());
    }
}
