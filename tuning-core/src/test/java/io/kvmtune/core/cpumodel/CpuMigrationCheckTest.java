package io.kvmtune.core.cpumodel;

import static io.kvmtune.core.cpumodel.CpuModelReportTest.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.json.Json;
import org.junit.jupiter.api.Test;

class CpuMigrationCheckTest extends StandardMapFixture {

    @Test
    void modelsBothHostsRunMigrateAndHostModelMovesOnlyTowardsTheRicherHost() {
        CpuModelReport older = CpuModelReport.of(map, host("Intel", 6, 15, "fpu", "sse2", "pni"));
        CpuModelReport newer = CpuModelReport.of(map, host("Intel", 6, 85, "fpu", "sse2", "pni", "sse4.1", "avx2"));

        CpuMigrationCheck check = CpuMigrationCheck.of(map, older, newer);

        assertThat(check.sameArch()).isTrue();
        assertThat(check.runnableOnBoth()).containsExactly("basic", "Oldlake");
        assertThat(check.runnableOnlyHere()).isEmpty();
        assertThat(check.runnableOnlyThere()).containsExactly("Newlake");
        assertThat(check.hostModelToThere().possible()).isTrue();
        assertThat(check.hostModelToHere().possible()).isFalse();
        assertThat(check.hostModelToHere().missing()).containsExactly("avx2", "sse4.1");
        assertThat(check.featuresOnlyThere()).containsExactly("avx2", "sse4.1");
        assertThat(check.baseline().orElseThrow().model()).isEqualTo("Oldlake");
    }

    @Test
    void aNonMigratableFeatureBlocksHostModelMigrationEvenWhenTheDestinationHasIt() {
        CpuModelReport a = CpuModelReport.of(map, host("Intel", 6, 15, "fpu", "sse2", "invtsc"));
        CpuModelReport b = CpuModelReport.of(map, host("Intel", 6, 15, "fpu", "sse2", "invtsc"));

        CpuMigrationCheck check = CpuMigrationCheck.of(map, a, b);

        assertThat(check.hostModelToThere().missing()).isEmpty();
        assertThat(check.hostModelToThere().blockers()).containsExactly("invtsc");
        assertThat(check.hostModelToThere().possible()).isFalse();
    }

    @Test
    void hostsOfDifferentVendorsGetAGenericBaseline() {
        CpuModelReport intel = CpuModelReport.of(map, host("Intel", 6, 15, "fpu", "sse2", "pni", "sha-ni"));
        CpuModelReport amd = CpuModelReport.of(map, host("AMD", 23, 1, "fpu", "sse2", "pni", "sha-ni"));

        CpuMigrationCheck check = CpuMigrationCheck.of(map, intel, amd);

        assertThat(check.runnableOnBoth()).containsExactly("basic", "Oldlake", "Zen");
        assertThat(check.baseline().orElseThrow().model()).isEqualTo("basic");
        assertThat(check.baseline().orElseThrow().features()).containsExactly("pni", "sha-ni");
    }

    @Test
    void theOtherHostIsReadFromItsJsonAndTheResultIsJson() {
        CpuModelReport here = CpuModelReport.of(map, host("Intel", 6, 15, "fpu", "sse2", "pni"));
        CpuModelReport there = CpuModelReport.fromJson(Json.parseObject(Json.write(here)));

        String json = Json.write(CpuMigrationCheck.of(map, here, there));

        assertThat(json).startsWith("{\"same_arch\":true,\"runnable_on_both\":[\"basic\",\"Oldlake\"]")
                .contains("\"host_model_to_there\":{\"possible\":true,\"missing\":[],\"blockers\":[]}");
    }
}
