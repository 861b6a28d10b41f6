package io.kvmtune.bench.report;

import io.kvmtune.bench.report.MarkdownTable.Align;
import io.kvmtune.core.probe.SvgHistogram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares a {@code kvmtune probe} run with a cyclictest run made under the same conditions:
 * {@code LatencyComparison PROBE_JSON CYCLICTEST_JSON [CYCLICTEST_SVG]}. Prints both results
 * (cycles, min, avg, p50, p99, p99.99, max, overflows), the probe/cyclictest ratios, and the
 * goals (max within 2x, median within 1.5x). With a third argument it also draws cyclictest's
 * histogram as an SVG, in the same style as the probe's.
 */
public final class LatencyComparison {

    private static final double MAX_GOAL = 2.0;
    private static final double MEDIAN_GOAL = 1.5;

    private LatencyComparison() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: LatencyComparison PROBE_JSON CYCLICTEST_JSON [CYCLICTEST_SVG]");
            System.exit(2);
        }
        LatencyRun probe = LatencyRun.parse(Files.readString(Path.of(args[0])));
        LatencyRun cyclictest = LatencyRun.parse(Files.readString(Path.of(args[1])));
        if (args.length == 3) {
            Files.writeString(Path.of(args[2]), SvgHistogram.render(cyclictest.histogram(),
                    "cyclictest: " + cyclictest.cycles() + " wake-ups"));
        }
        System.out.print(render(probe, cyclictest));
    }

    static String render(LatencyRun probe, LatencyRun cyclictest) {
        MarkdownTable table = new MarkdownTable("Run", Align.LEFT, "Cycles", Align.RIGHT, "Min µs", Align.RIGHT,
                "Avg µs", Align.RIGHT, "P50 µs", Align.RIGHT, "P99 µs", Align.RIGHT, "P99.99 µs", Align.RIGHT,
                "Max µs", Align.RIGHT, "Overflows", Align.RIGHT);
        row(table, "kvmtune probe", probe);
        row(table, "cyclictest", cyclictest);
        table.row("probe / cyclictest", "", Figures.ratio(probe.minMicros(), cyclictest.minMicros()),
                Figures.ratio(probe.avgMicros(), cyclictest.avgMicros()),
                Figures.ratio(probe.percentileMicros(0.5), cyclictest.percentileMicros(0.5)),
                Figures.ratio(probe.percentileMicros(0.99), cyclictest.percentileMicros(0.99)),
                Figures.ratio(probe.percentileMicros(0.9999), cyclictest.percentileMicros(0.9999)),
                Figures.ratio(probe.maxMicros(), cyclictest.maxMicros()), "");
        return table + "\n"
                + goal("max", probe.maxMicros(), cyclictest.maxMicros(), MAX_GOAL)
                + goal("median (p50)", probe.percentileMicros(0.5), cyclictest.percentileMicros(0.5), MEDIAN_GOAL)
                + "Percentiles are upper bucket edges of 1 µs histograms; overflows count at the maximum.\n";
    }

    private static void row(MarkdownTable table, String name, LatencyRun r) {
        table.row(name, Long.toString(r.cycles()), Figures.format(r.minMicros()), Figures.format(r.avgMicros()),
                Figures.format(r.percentileMicros(0.5)), Figures.format(r.percentileMicros(0.99)),
                Figures.format(r.percentileMicros(0.9999)), Figures.format(r.maxMicros()), Long.toString(r.overflows()));
    }

    private static String goal(String what, double probe, double cyclictest, double goal) {
        String verdict = Double.isNaN(probe) || Double.isNaN(cyclictest) || cyclictest == 0 ? "not measured"
                : probe / cyclictest <= goal ? "met" : "NOT met";
        return "Goal probe " + what + " within " + Figures.format(goal) + "x of cyclictest's: "
                + Figures.ratio(probe, cyclictest) + " -> " + verdict + "\n";
    }
}
