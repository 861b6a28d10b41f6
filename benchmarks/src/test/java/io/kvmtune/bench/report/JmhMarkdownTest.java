package io.kvmtune.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.json.JsonException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JMH's JSON (one real single-iteration result, one with parameters over two forks) as a Markdown table. */
class JmhMarkdownTest {

    private static List<JmhResult> sample() throws IOException {
        try (InputStream in = JmhMarkdownTest.class.getResourceAsStream("jmh-sample.json")) {
            return JmhResult.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsScoreMedianErrorUnitAndParamsOfEveryResult() throws IOException {
        List<JmhResult> results = sample();
        assertThat(results).hasSize(2);
        JmhResult single = results.get(0);
        assertThat(single.shortName()).isEqualTo("ThreadSchedulingReadBenchmark.emptyDowncallBaseline");
        assertThat(single.params()).isEmpty();
        assertThat(single.samples()).isEqualTo(1);
        assertThat(single.error()).as("JMH writes \"NaN\" for one iteration").isNaN();
        JmhResult plan = results.get(1);
        assertThat(plan.params()).containsExactly(java.util.Map.entry("vcpus", "64"), java.util.Map.entry("hostCpus", "512"));
        assertThat(plan.samples()).as("iterations over both forks").isEqualTo(4);
        assertThat(plan.median()).isEqualTo(800.0);
        assertThat(plan.score()).isEqualTo(812.5);
        assertThat(plan.error()).isEqualTo(120.25);
        assertThat(plan.unit()).isEqualTo("ns/op");
    }

    @Test
    void rendersOneRowPerResultAfterTheRunSettings() throws IOException {
        String md = JmhMarkdown.render(sample());
        assertThat(md.lines().filter(l -> l.startsWith("Run: "))).containsExactly(
                "Run: JMH 1.37, JDK 25.0.3, 1 fork(s), warm-up 1 x 200 ms, measurement 1 x 200 ms, 1 thread(s)",
                "Run: JMH 1.37, JDK 25.0.3, 2 fork(s), warm-up 3 x 1 s, measurement 2 x 1 s, 1 thread(s)");
        List<String> rows = md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| ---")).toList();
        assertThat(rows).hasSize(3);
        assertThat(cells(rows.get(0))).containsExactly("Benchmark", "Params", "Mode", "Cnt", "Median", "Score",
                "Error (99.9%)", "Units");
        assertThat(cells(rows.get(1))).containsExactly("ThreadSchedulingReadBenchmark.emptyDowncallBaseline", "",
                "avgt", "1", "55.88", "55.88", "n/a", "ns/op");
        assertThat(cells(rows.get(2))).containsExactly("PlanBenchmark.plan", "vcpus=64, hostCpus=512", "avgt", "4",
                "800", "812.5", "± 120.2", "ns/op");
        assertThat(md).as("numbers right-aligned").contains("| --: |");
    }

    @Test
    void rejectsWhatIsNotJmhOutputNamingTheField() {
        assertThatThrownBy(() -> JmhResult.parseAll("{}")).isInstanceOf(JsonException.class).hasMessageContaining("array");
        assertThatThrownBy(() -> JmhResult.parseAll("[{\"benchmark\": \"x\"}]"))
                .isInstanceOf(JsonException.class).hasMessageContaining("$[0].primaryMetric");
    }

    private static List<String> cells(String row) {
        return java.util.Arrays.stream(row.substring(1, row.length() - 1).split("\\|", -1)).map(String::strip).toList();
    }
}
