package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpumodel.CpuMap;
import io.kvmtune.core.cpumodel.CpuMapReader;
import io.kvmtune.core.cpumodel.CpuModelReport;
import io.kvmtune.core.cpumodel.FakeCpuMap;
import io.kvmtune.core.cpumodel.HostCpu;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kvmtune cpu-models --baseline} over reports written as other hosts' kvmtune would write them. */
class CpuModelsBaselineCommandTest {

    @TempDir
    Path dir;

    Path mapDir;
    CpuMap map;

    @BeforeEach
    void map() throws IOException {
        mapDir = FakeCpuMap.standard(Files.createDirectories(dir.resolve("cpu_map")));
        map = CpuMapReader.read(mapDir, "x86");
    }

    Path report(String host, String vendor, int family, int model, String... features) throws IOException {
        HostCpu cpu = new HostCpu(Optional.of(vendor), family, model, new TreeSet<>(Set.of(features)), new TreeSet<>());
        Path file = dir.resolve(host + ".json");
        Files.writeString(file, Json.pretty(CpuModelReport.of(map, cpu)));
        return file;
    }

    /** A hostprep inventory holding the report, as {@code hostprep inventory --format json} writes it. */
    Path inventory(String host, String vendor, int family, int model, String... features) throws IOException {
        HostCpu cpu = new HostCpu(Optional.of(vendor), family, model, new TreeSet<>(Set.of(features)), new TreeSet<>());
        Path file = dir.resolve(host + ".json");
        Files.writeString(file, Json.pretty(Map.of("kernel", Map.of(), CpuModelReport.INVENTORY_KEY, CpuModelReport.of(map, cpu))));
        return file;
    }

    CommandRun baseline(String format, Path... files) {
        String[] args = new String[5 + files.length];
        args[0] = "cpu-models";
        args[1] = "--cpu-map";
        args[2] = mapDir.toString();
        args[3] = "--format=" + format;
        args[4] = "--baseline";
        for (int i = 0; i < files.length; i++) {
            args[5 + i] = files[i].toString();
        }
        return CommandRun.kvmtune(args);
    }

    @Test
    void jsonNamesTheModelTheExtraFlagsAndWhichHostBlocksEachOtherModel() throws IOException {
        Path a = report("compute-1", "Intel", 6, 15, "fpu", "sse2", "pni", "sse4.1", "avx2", "tsc-deadline", "invtsc");
        Path b = inventory("compute-2", "Intel", 6, 85, "fpu", "sse2", "pni", "sse4.1", "avx2", "spec-ctrl", "tsc-deadline");

        CommandRun run = baseline("json", a, b);

        assertThat(run.status()).as(run.err()).isZero();
        JsonObject json = Json.parseObject(run.out());
        assertThat(json.array("hosts")).containsExactly("compute-1", "compute-2");
        assertThat(json.string("cpu_mode")).isEqualTo("custom");
        assertThat(json.string("cpu_model")).isEqualTo("Newlake");
        assertThat(json.array("cpu_model_extra_flags")).containsExactly("tsc-deadline");
        assertThat(json.array("not_migratable")).isEmpty();
        JsonObject blocked = json.objects("blocked").getFirst();
        assertThat(blocked.string("model")).isEqualTo("Newlake-IBRS");
        assertThat(blocked.objects("blocked_by").getFirst().string("host")).isEqualTo("compute-1");
        assertThat(blocked.objects("blocked_by").getFirst().array("missing")).containsExactly("spec-ctrl");
        JsonObject nova = json.object("nova_conf").object("libvirt");
        assertThat(nova.string("cpu_models")).isEqualTo("Newlake");
        assertThat(nova.string("cpu_model_extra_flags")).isEqualTo("tsc-deadline");
    }

    @Test
    void theTableShowsTheNovaOptionsAndTheBlockers() throws IOException {
        Path a = report("compute-1", "Intel", 6, 15, "fpu", "sse2", "pni");
        Path b = report("compute-2", "Intel", 6, 85, "fpu", "sse2", "pni", "sse4.1", "avx2");

        CommandRun run = baseline("table", a, b);

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("cpu_mode:              custom", "cpu_models:            Oldlake",
                "BLOCKED MODEL", "Newlake", "compute-1", "avx2 sse4.1");
    }

    @Test
    void aFileThatIsNoReportIsNamedInTheError() throws IOException {
        Path good = report("compute-1", "Intel", 6, 15, "fpu", "sse2", "pni");
        Path bad = Files.writeString(dir.resolve("compute-2.json"), "{\"kernel\": {}}");
        Path broken = Files.writeString(dir.resolve("compute-3.json"), "{not json");

        CommandRun notAReport = baseline("table", good, bad);
        CommandRun notJson = baseline("json", good, broken);

        assertThat(notAReport.status()).isEqualTo(2);
        assertThat(notAReport.err()).contains("--baseline " + bad, "is not a CPU model report");
        assertThat(notJson.status()).isEqualTo(2);
        assertThat(Json.parseObject(notJson.out()).object("error").string("key")).isEqualTo("--baseline");
        assertThat(Json.parseObject(notJson.out()).object("error").string("value")).isEqualTo(broken.toString());
    }

    @Test
    void twoReportsWithTheSameHostNameAreRefused() throws IOException {
        Path a = report("compute-1", "Intel", 6, 15, "fpu", "sse2", "pni");
        Path other = Files.createDirectories(dir.resolve("other")).resolve("compute-1.json");
        Files.copy(a, other);

        CommandRun run = baseline("table", a, other);

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--baseline " + other, "already named compute-1");
    }

    @Test
    void compareAndBaselineTogetherAreAUsageError() throws IOException {
        Path a = report("compute-1", "Intel", 6, 15, "fpu", "sse2", "pni");

        CommandRun run = CommandRun.kvmtune("cpu-models", "--cpu-map", mapDir.toString(), "--compare", a.toString(),
                "--baseline", a.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("mutually exclusive");
    }
}
