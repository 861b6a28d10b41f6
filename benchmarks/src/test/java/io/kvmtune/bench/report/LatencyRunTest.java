package io.kvmtune.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Results as cyclictest 2.40 and kvmtune probe really wrote them (fixtures captured on this project's VM). */
class LatencyRunTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = LatencyRunTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsCyclictestJsonDespiteItsStrayColonsCountingCyclesBeyondTheHistogramAsOverflows() throws IOException {
        LatencyRun r = LatencyRun.parse(resource("cyclictest-2.40.json"));
        assertThat(r.cycles()).isEqualTo(200);
        assertThat(r.minMicros()).isEqualTo(9);
        assertThat(r.avgMicros()).isEqualTo(20.34);
        assertThat(r.maxMicros()).isEqualTo(150);
        assertThat(r.overflows()).as("-h 100 held 199 of 200 wake-ups").isEqualTo(1);
        assertThat(r.percentileMicros(0.5)).as("100th wake-up is in bucket 18").isEqualTo(19);
        assertThat(r.percentileMicros(0.9999)).as("the overflow, at the maximum").isEqualTo(150);
    }

    @Test
    void computesThePercentilesTheProbeItselfReportsFromItsHistograms() throws IOException {
        String text = resource("probe.json");
        JsonObject total = Json.parseObject(text).object("total");
        LatencyRun r = LatencyRun.parse(text);
        assertThat(r.cycles()).isEqualTo(total.integer("cycles"));
        assertThat(r.overflows()).isEqualTo(total.integer("overflows"));
        assertThat(r.percentileMicros(0.5)).isEqualTo(total.integer("p50"));
        assertThat(r.percentileMicros(0.99)).isEqualTo(total.integer("p99"));
        assertThat(r.percentileMicros(0.9999)).isEqualTo(total.integer("p99_99"));
        assertThat(r.maxMicros()).isEqualTo(((Number) total.get("max")).doubleValue());
        assertThat(r.avgMicros()).isCloseTo(((Number) total.get("avg")).doubleValue(), within(0.001));
    }

    @Test
    void aThreadThatMeasuredNothingWithCyclictestsNanIsSkipped() {
        LatencyRun r = LatencyRun.parse("""
                {"thread": {"0": {"cycles": 0, "min": 0, "max": 0, "avg": -nan},
                            "1": {"cycles": 3, "min": 4, "max": 9, "avg": 6.00, "histogram": {"4": 1, "5": 1, "9": 1}}}}""");
        assertThat(r.cycles()).isEqualTo(3);
        assertThat(r.minMicros()).isEqualTo(4);
        assertThat(r.percentileMicros(0.5)).isEqualTo(6);
        assertThat(r.percentileMicros(1)).isEqualTo(9);
    }

    @Test
    void withoutHistogramsThereAreNoPercentilesButTheToolsOwnFigures() {
        LatencyRun r = LatencyRun.parse("{\"thread\": {\"0\": {\"cycles\": 10, \"min\": 3, \"max\": 30, \"avg\": 7.5}}}");
        assertThat(r.maxMicros()).isEqualTo(30);
        assertThat(r.percentileMicros(0.5)).isNaN();
    }

    @Test
    void aResultWithoutThreadsIsRefused() {
        assertThatThrownBy(() -> LatencyRun.parse("{\"thread\": {}}")).isInstanceOf(JsonException.class);
        assertThatThrownBy(() -> LatencyRun.parse("{\"num_threads\": 1}")).isInstanceOf(JsonException.class)
                .hasMessageContaining("thread");
    }

    @Test
    void comparisonShowsBothRunsTheirRatiosAndTheGoals() throws IOException {
        String out = LatencyComparison.render(LatencyRun.parse(resource("probe.json")),
                LatencyRun.parse(resource("cyclictest-2.40.json")));
        assertThat(out).contains("| kvmtune probe ").contains("| cyclictest ").contains("| probe / cyclictest ")
                .contains("Goal probe max within 2x of cyclictest's: 0.389x -> met")
                .contains("Goal probe median (p50) within 1.5x of cyclictest's: 1.05x -> met");
    }

    @Test
    void roundsCombineIntoOneRunOfAllTheirWakeUps() {
        LatencyRun a = LatencyRun.parse("""
                {"thread": {"0": {"cycles": 3, "min": 4, "max": 9, "avg": 6.00, "histogram": {"4": 1, "5": 1, "9": 1}}}}""", 50);
        LatencyRun b = LatencyRun.parse("""
                {"thread": {"0": {"cycles": 2, "min": 2, "max": 40, "avg": 21.00, "histogram": {"2": 1, "40": 1}}}}""", 50);
        LatencyRun all = LatencyRun.combine(List.of(a, b));
        assertThat(all.cycles()).isEqualTo(5);
        assertThat(all.minMicros()).isEqualTo(2);
        assertThat(all.maxMicros()).isEqualTo(40);
        assertThat(all.avgMicros()).isCloseTo((3 * 6.0 + 2 * 21.0) / 5, within(1e-9));
        assertThat(all.percentileMicros(0.5)).as("third of 2, 4, 5, 9, 40").isEqualTo(6);
        assertThat(all.percentileMicros(1)).isEqualTo(40);
    }

    @Test
    void runsReadToDifferentLengthsDoNotCombine() {
        LatencyRun shorter = LatencyRun.parse("""
                {"thread": {"0": {"cycles": 1, "min": 4, "max": 4, "avg": 4, "histogram": {"4": 1}}}}""");
        LatencyRun longer = LatencyRun.parse("""
                {"thread": {"0": {"cycles": 1, "min": 9, "max": 9, "avg": 9, "histogram": {"9": 1}}}}""");
        assertThatThrownBy(() -> LatencyRun.combine(List.of(shorter, longer)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ in size");
    }

    @Test
    void comparisonOfRoundsJudgesAllRoundsTogetherAndCountsTheRoundsWithinEachGoal() {
        LatencyRun probeCalm = run(20, 100);
        LatencyRun probeHit = run(21, 3000);
        LatencyRun cyclictestCalm = run(19, 120);
        LatencyRun cyclictestHit = run(20, 2500);
        String out = LatencyComparison.render(List.of(probeCalm, probeHit, probeCalm),
                List.of(cyclictestHit, cyclictestCalm, cyclictestCalm));
        assertThat(out).startsWith("All 3 rounds together:")
                .contains("Goal probe max within 2x of cyclictest's: 1.2x -> met")
                .containsPattern("\\|\\s+2 \\|.*\\|\\s+3000 \\|\\s+120 \\|\\s+25x \\|")
                .contains("Within the goals, round by round: max in 2 of 3 rounds, median in 3 of 3.")
                .containsPattern("\\|\\s+median \\|\\s+21 \\|\\s+20 \\|\\s+1.05x \\|\\s+100 \\|\\s+120 \\|\\s+0.833x \\|")
                .contains("Goal probe max, the median of the rounds' maxima, within 2x of cyclictest's: 0.833x -> met");
    }

    /** A run of 10 wake-ups at {@code p50} µs and one at {@code max} µs. */
    private static LatencyRun run(int p50, int max) {
        return LatencyRun.parse("{\"thread\": {\"0\": {\"cycles\": 11, \"min\": " + p50 + ", \"max\": " + max
                + ", \"avg\": " + p50 + ", \"histogram\": {\"" + p50 + "\": 10, \"" + max + "\": 1}}}}", 5000);
    }
}
