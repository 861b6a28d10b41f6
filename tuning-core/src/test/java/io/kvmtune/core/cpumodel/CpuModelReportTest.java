package io.kvmtune.core.cpumodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CpuModelReportTest extends StandardMapFixture {

    static HostCpu host(String vendor, int family, int model, String... features) {
        return new HostCpu(Optional.ofNullable(vendor), family, model, new TreeSet<>(Set.of(features)), new TreeSet<>());
    }

    @Test
    void everyModelIsRunnableOrListsWhatTheHostLacks() {
        CpuModelReport report = CpuModelReport.of(map, host("Intel", 6, 15, "fpu", "sse2", "pni", "sse4.1"));

        assertThat(report.runnableModels()).containsExactly("basic", "Oldlake");
        assertThat(report.verdict("Newlake").orElseThrow().missing()).containsExactly("avx2");
        assertThat(report.verdict("Newlake-IBRS").orElseThrow().missing()).containsExactly("avx2", "spec-ctrl");
        assertThat(report.verdict("Zen").orElseThrow().missing()).containsExactly("sha-ni");
    }

    @Test
    void theModelsVendorIsNotRequiredToRunIt() {
        CpuModelReport report = CpuModelReport.of(map, host("AMD", 23, 1, "fpu", "sse2", "pni", "sha-ni", "sse4.1", "avx2"));

        assertThat(report.runnableModels()).containsExactly("basic", "Oldlake", "Newlake", "Zen");
    }

    @Test
    void aRemovedFeatureIsNotRequired() {
        CpuModelReport report = CpuModelReport.of(map, host("AMD", 23, 1, "fpu", "sse2", "pni", "sha-ni"));

        assertThat(report.verdict("Zen").orElseThrow().runnable()).isTrue();
    }

    @Test
    void hostModelPrefersTheModelWhoseSignatureMatchesTheHost() {
        HostCpu oldHost = host("Intel", 6, 15, "fpu", "sse2", "pni", "sse4.1", "avx2", "invtsc");

        HostModel hm = HostModel.decode(map, oldHost).orElseThrow();

        assertThat(hm.model()).as("Newlake needs fewer extras, but Oldlake's signature matches").isEqualTo("Oldlake");
        assertThat(hm.features()).containsExactly("avx2", "invtsc", "sse4.1");
        assertThat(hm.nonMigratable()).containsExactly("invtsc");
    }

    @Test
    void hostModelTakesTheModelNeedingTheFewestExtraFeaturesWhenNoSignatureMatches() {
        HostModel hm = HostModel.decode(map, host("Intel", 6, 200, "fpu", "sse2", "pni", "sse4.1", "avx2", "spec-ctrl"))
                .orElseThrow();

        assertThat(hm.model()).isEqualTo("Newlake-IBRS");
        assertThat(hm.features()).isEmpty();
    }

    @Test
    void hostModelSkipsModelsOfAnotherVendorAndModelsNotMeantForHosts() {
        HostCpu amd = host("AMD", 25, 1, "fpu", "sse2", "pni", "sse4.1", "avx2", "spec-ctrl");
        assertThat(HostModel.decode(map, amd).orElseThrow().model()).isEqualTo("basic");

        FakeCpuMap.write(dir, "<model name='generic'><feature name='fpu'/></model>",
                "<model name='vendorless'><decode host='off' guest='on'/><feature name='fpu'/><feature name='sse2'/></model>");
        CpuMap other = CpuMapReader.read(dir, "x86");
        assertThat(HostModel.decode(other, amd).orElseThrow().model()).isEqualTo("generic");
    }

    @Test
    void noHostModelWhenNoModelFits() {
        assertThat(HostModel.decode(map, host("Intel", 6, 1, "pni"))).isEmpty();
    }

    @Test
    void theJsonFormReadsBackToAnEqualReport() {
        HostCpu h = new HostCpu(Optional.of("Intel"), 6, 85, new TreeSet<>(Set.of("fpu", "sse2", "pni")),
                new TreeSet<>(Set.of("constant_tsc")));
        CpuModelReport report = CpuModelReport.of(map, h);

        String json = Json.write(report);
        CpuModelReport back = CpuModelReport.fromJson(Json.parseObject(json));

        assertThat(back).isEqualTo(report);
        assertThat(Json.write(back)).isEqualTo(json);
        assertThat(json).contains("\"host_model\":{\"model\":\"Oldlake\"", "\"unmapped_flags\":[\"constant_tsc\"]",
                "{\"name\":\"Newlake\",\"vendor\":\"Intel\",\"runnable\":false,\"missing\":[\"avx2\",\"sse4.1\"]}");
    }

    @Test
    void aReportIsFoundInsideAnInventoryOrOnItsOwn() {
        CpuModelReport report = CpuModelReport.of(map, host("Intel", 6, 85, "fpu"));
        String inventory = Json.write(Map.of("kernel", Map.of("version", "6.1"), CpuModelReport.INVENTORY_KEY, report));

        assertThat(CpuModelReport.fromInventory(Json.parseObject(inventory))).isEqualTo(report);
        assertThat(CpuModelReport.fromInventory(Json.parseObject(Json.write(report)))).isEqualTo(report);
        assertThatThrownBy(() -> CpuModelReport.fromInventory(Json.parseObject("{\"kernel\":{}}")))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("cpu_models");
    }

    @Test
    void aVerdictWhoseRunnableContradictsItsMissingFeaturesIsRejected() {
        String bad = "{\"name\":\"m\",\"vendor\":null,\"runnable\":true,\"missing\":[\"avx2\"]}";

        assertThatThrownBy(() -> ModelVerdict.fromJson(Json.parseObject(bad)))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("$.runnable is true but missing is [avx2]");
    }
}
