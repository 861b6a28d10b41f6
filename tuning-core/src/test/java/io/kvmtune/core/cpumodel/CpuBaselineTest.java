package io.kvmtune.core.cpumodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CpuBaselineTest extends StandardMapFixture {

    static HostCpu cpu(String vendor, int family, int model, String... features) {
        return new HostCpu(Optional.ofNullable(vendor), family, model, new TreeSet<>(Set.of(features)), new TreeSet<>());
    }

    static Map<String, HostCpu> hosts(Object... nameThenCpu) {
        Map<String, HostCpu> hosts = new LinkedHashMap<>();
        for (int i = 0; i < nameThenCpu.length; i += 2) {
            hosts.put((String) nameThenCpu[i], (HostCpu) nameThenCpu[i + 1]);
        }
        return hosts;
    }

    @Test
    void theNewestModelAllHostsRunWinsAndTheSharedFeaturesOnTopBecomeExtraFlags() {
        CpuBaseline b = CpuBaseline.of(map, hosts(
                "old", cpu("Intel", 6, 15, "fpu", "sse2", "pni", "sse4.1", "avx2", "tsc-deadline", "invtsc"),
                "new", cpu("Intel", 6, 85, "fpu", "sse2", "pni", "sse4.1", "avx2", "spec-ctrl", "tsc-deadline", "invtsc")));

        assertThat(b.model()).contains("Newlake");
        assertThat(b.vendor()).contains("Intel");
        assertThat(b.extraFlags()).containsExactly("tsc-deadline");
        assertThat(b.notMigratable()).containsExactly("invtsc");
        assertThat(b.runnableOnAll()).containsExactly("basic", "Oldlake", "Newlake");
        assertThat(b.blocked()).singleElement().satisfies(blocked -> {
            assertThat(blocked.model()).isEqualTo("Newlake-IBRS");
            assertThat(blocked.blockedBy()).containsOnlyKeys("old");
            assertThat(blocked.blockedBy().get("old")).containsExactly("spec-ctrl");
        });
        assertThat(b.novaLibvirt()).contains(Map.of("cpu_mode", "custom", "cpu_models", "Newlake",
                "cpu_model_extra_flags", "tsc-deadline"));
    }

    @Test
    void aModelNoHostRunsIsNoCandidateAndOneEveryHostLacksIsListedWithEveryHost() {
        CpuBaseline b = CpuBaseline.of(map, hosts(
                "a", cpu("Intel", 6, 15, "fpu", "sse2", "pni"),
                "b", cpu("Intel", 6, 15, "fpu", "sse2", "pni", "sse4.1", "avx2")));

        assertThat(b.model()).contains("Oldlake");
        assertThat(b.blocked()).extracting(BlockedModel::model).containsExactly("Newlake");
        assertThat(b.blocked().getFirst().blockedBy()).containsOnlyKeys("a");
    }

    @Test
    void theHostsCommonSignatureWinsOverMoreFeaturesAsLibvirtDecodes() {
        // basic needs fewer extra features than nothing, but Oldlake is made after family 6 model 15.
        CpuBaseline b = CpuBaseline.of(map, hosts(
                "a", cpu("Intel", 6, 15, "fpu", "sse2", "pni"),
                "b", cpu("Intel", 6, 15, "fpu", "sse2", "pni")));
        assertThat(b.model()).contains("Oldlake");
        assertThat(b.extraFlags()).isEmpty();
    }

    @Test
    void hostsOfDifferentVendorsMayGetAModelOfEitherVendorAndNoVendor() {
        CpuBaseline b = CpuBaseline.of(map, hosts(
                "intel", cpu("Intel", 6, 85, "fpu", "sse2", "pni", "sha-ni", "avx2"),
                "amd", cpu("AMD", 23, 1, "fpu", "sse2", "pni", "sha-ni")));
        assertThat(b.vendor()).isEmpty();
        assertThat(b.model()).contains("Zen");
        assertThat(b.extraFlags()).isEmpty();
    }

    @Test
    void withACommonVendorAnotherVendorsModelIsNotChosen() {
        CpuBaseline b = CpuBaseline.of(map, hosts(
                "a", cpu("Intel", 6, 85, "fpu", "sse2", "pni", "sha-ni"),
                "b", cpu("Intel", 6, 85, "fpu", "sse2", "pni", "sha-ni")));
        assertThat(b.model()).contains("Oldlake");
        assertThat(b.extraFlags()).containsExactly("sha-ni");
        assertThat(b.runnableOnAll()).contains("Zen");
    }

    @Test
    void featuresQemuNeverGivesAGuestAreReportedApartFromTheExtraFlags() {
        CpuBaseline b = CpuBaseline.of(map, hosts("a", cpu("Intel", 6, 15, "fpu", "sse2", "pni", "monitor")));
        assertThat(b.extraFlags()).containsExactly("monitor");
        assertThat(b.notForGuests()).isEmpty();
        assertThat(QemuGuestFeatures.NEVER_IN_A_GUEST_MODEL).contains("osxsave", "cmt");
    }

    @Test
    void jsonCarriesTheNovaOptionsAndTheBlockers() {
        CpuBaseline b = CpuBaseline.of(map, hosts(
                "a", cpu("Intel", 6, 15, "fpu", "sse2", "pni"),
                "b", cpu("Intel", 6, 85, "fpu", "sse2", "pni", "sse4.1", "avx2")));
        String json = Json.pretty(b);
        assertThat(json).contains("\"cpu_mode\": \"custom\"", "\"cpu_model\": \"Oldlake\"", "\"cpu_models\": \"Oldlake\"",
                "\"blocked_by\": [", "\"host\": \"a\"", "\"missing\": [");
    }

    @Test
    void aModelLibvirtNeverUsesForHostsIsRunnableButNotChosen() throws Exception {
        CpuMap rhel = CpuMapReader.read(FakeCpuMap.write(java.nio.file.Files.createDirectories(dir.resolve("rhel")),
                "<model name='basic'><feature name='fpu'/><feature name='sse2'/></model>",
                "<model name='cpu64-rhel6'><decode host='off' guest='on'/><feature name='fpu'/><feature name='sse2'/>"
                        + "<feature name='pni'/></model>"), "x86");
        CpuBaseline b = CpuBaseline.of(rhel, hosts("a", cpu("AMD", 25, 17, "fpu", "sse2", "pni")));
        assertThat(b.runnableOnAll()).containsExactly("basic", "cpu64-rhel6");
        assertThat(b.model()).contains("basic");
        assertThat(b.extraFlags()).containsExactly("pni");
    }

    @Test
    void aBaselineNeedsAHost() {
        assertThatThrownBy(() -> CpuBaseline.of(map, Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
