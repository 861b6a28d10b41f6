package io.kvmtune.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyTimingSummaryTest {

    private static final List<String> TIMINGS = List.of(
            "c-loop 1 a 100000 32", "shell-hook 1 b 300000000 32", "cold-cli 1 a 250000000 32",
            "c-loop 2 b 300000 32", "shell-hook 2 a 320000000 32", "cold-cli 2 b 350000000 32",
            "c-loop 3 a 200000 32", "in-process 3 b 290000 32", "c-loop-apply-syscalls 3 a 232000 32", "");

    @Test
    void summarisesEachMethodByMedianMinMaxPerApplyAndPerThreadWithItsRatioToBothCLoops() {
        String out = ApplyTimingSummary.render(ApplyTimingSummary.parseAll(TIMINGS), Map.of());
        assertThat(row(out, "c-loop")).containsExactly("c-loop", "3", "32", "0.2", "0.1", "0.3", "6.25", "3.125", "9.375", "1x",
                "0.862x");
        assertThat(row(out, "shell-hook")).containsExactly("shell-hook", "2", "32", "310", "300", "320", "9688", "9375",
                "10000", "1550x", "1340x");
        assertThat(row(out, "in-process")).containsExactly("in-process", "1", "32", "0.29", "0.29", "0.29", "9.062",
                "9.062", "9.062", "1.45x", "1.25x");
        assertThat(row(out, "c-loop-apply-syscalls")).containsExactly("c-loop-apply-syscalls", "1", "32", "0.232",
                "0.232", "0.232", "7.25", "7.25", "7.25", "1.16x", "1x");
        assertThat(out).contains("Goal in-process / c-loop-apply-syscalls <= 1.5x: 1.25x (medians) -> met")
                .contains("Goal cold-cli / shell-hook <= 1x: 0.968x (medians) -> met")
                .contains("Floor in-process / c-loop (the two changing system calls alone, without kvmtune's identity"
                        + " checks, read-back and record): 1.45x (medians)");
    }

    @Test
    void saysWhichMethodsDidNotRunAndWhichGoalsWereNotMeasured() {
        String out = ApplyTimingSummary.render(ApplyTimingSummary.parseAll(TIMINGS.subList(0, 2)),
                Map.of(ApplyMethod.IN_PROCESS, "the apply engine is not built"));
        assertThat(out).contains("- in-process: NOT RUN: the apply engine is not built")
                .contains("Goal in-process / c-loop-apply-syscalls <= 1.5x: not measured")
                .contains("Goal cold-cli / shell-hook <= 1x: not measured")
                .contains("Floor in-process / c-loop (the two changing system calls alone, without kvmtune's identity"
                        + " checks, read-back and record): not measured");
    }

    @Test
    void rejectsALineThatIsNotATimingNamingIt() {
        assertThatThrownBy(() -> ApplyTimingSummary.parseAll(List.of("c-loop 1 a 100")))
                .hasMessageContaining("'c-loop 1 a 100'");
        assertThatThrownBy(() -> ApplyTimingSummary.parseAll(List.of("taskset 1 a 100 32")))
                .hasMessageContaining("unknown apply method 'taskset'");
    }

    private static List<String> row(String table, String method) {
        String line = table.lines().filter(l -> l.startsWith("| " + method + " ")).findFirst().orElseThrow();
        return java.util.Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList();
    }
}
