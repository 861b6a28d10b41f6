package io.kvmtune.bench.report;

import io.kvmtune.bench.report.MarkdownTable.Align;
import io.kvmtune.core.probe.SvgHistogram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares {@code kvmtune probe} runs with cyclictest runs made under the same conditions, in
 * rounds of one run each: {@code LatencyComparison [--svg DIR] PROBE_JSON CYCLICTEST_JSON
 * [PROBE_JSON CYCLICTEST_JSON ...]}. Prints all rounds' wake-ups together (cycles, min, avg, p50,
 * p99, p99.99, max, overflows), the probe/cyclictest ratios and the goals (max within 2x, median
 * within 1.5x), then, with more than one round, each round's medians and maxima, their medians
 * over the rounds, in how many rounds each goal held, and the max goal judged on the median of
 * the rounds' maxima. With {@code --svg DIR} it draws both tools' histograms of all rounds
 * together as {@code DIR/probe.svg} and {@code DIR/cyclictest.svg}.
 *
 * <p>Rounds, because a maximum is one sample: on a shared or nested VM a host preemption of a
 * few milliseconds lands in one tool's run or the other's. Interleaved rounds give both tools
 * the same exposure to it, and the maximum over all rounds compares like with like. It is still
 * one sample per tool, though: the median of the rounds' maxima says what a run's worst wake-up
 * typically is, which a single host stall cannot move.
 */
public final class LatencyComparison {

    private static final double MAX_GOAL = 2.0;
    private static final double MEDIAN_GOAL = 1.5;

    private LatencyComparison() {
    }

    public static void main(String[] args) throws IOException {
        int first = args.length >= 2 && args[0].equals("--svg") ? 2 : 0;
        if (args.length - first < 2 || (args.length - first) % 2 != 0) {
            System.err.println("usage: LatencyComparison [--svg DIR] PROBE_JSON CYCLICTEST_JSON [PROBE_JSON CYCLICTEST_JSON ...]");
            System.exit(2);
        }
        List<String> texts = new ArrayList<>();
        int buckets = 1;
        for (int i = first; i < args.length; i++) {
            String text = Files.readString(Path.of(args[i]));
            texts.add(text);
            buckets = Math.max(buckets, LatencyRun.parse(text).histogram().maxMicros());
        }
        List<LatencyRun> probes = new ArrayList<>();
        List<LatencyRun> cyclictests = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            (i % 2 == 0 ? probes : cyclictests).add(LatencyRun.parse(texts.get(i), buckets));
        }
        if (first == 2) {
            Path dir = Path.of(args[1]);
            svg(dir.resolve("probe.svg"), "kvmtune probe", LatencyRun.combine(probes));
            svg(dir.resolve("cyclictest.svg"), "cyclictest", LatencyRun.combine(cyclictests));
        }
        System.out.print(render(probes, cyclictests));
    }

    private static void svg(Path file, String tool, LatencyRun run) throws IOException {
        Files.writeString(file, SvgHistogram.render(run.histogram(), tool + ": " + run.cycles() + " wake-ups"));
    }

    /** The report of rounds {@code probes.get(i)}, {@code cyclictests.get(i)}. */
    static String render(List<LatencyRun> probes, List<LatencyRun> cyclictests) {
        if (probes.size() != cyclictests.size() || probes.isEmpty()) {
            throw new IllegalArgumentException("rounds need one probe and one cyclictest run each: "
                    + probes.size() + " and " + cyclictests.size());
        }
        if (probes.size() == 1) {
            return render(probes.getFirst(), cyclictests.getFirst());
        }
        return "All " + probes.size() + " rounds together:\n\n"
                + render(LatencyRun.combine(probes), LatencyRun.combine(cyclictests))
                + "\nEach round:\n\n" + rounds(probes, cyclictests);
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

    private static String rounds(List<LatencyRun> probes, List<LatencyRun> cyclictests) {
        MarkdownTable table = new MarkdownTable("Round", Align.RIGHT, "Probe P50 µs", Align.RIGHT,
                "cyclictest P50 µs", Align.RIGHT, "P50 ratio", Align.RIGHT, "Probe max µs", Align.RIGHT,
                "cyclictest max µs", Align.RIGHT, "Max ratio", Align.RIGHT);
        int maxMet = 0;
        int medianMet = 0;
        int n = probes.size();
        double[] probeP50 = new double[n];
        double[] cyclictestP50 = new double[n];
        double[] probeMax = new double[n];
        double[] cyclictestMax = new double[n];
        for (int i = 0; i < n; i++) {
            probeP50[i] = probes.get(i).percentileMicros(0.5);
            cyclictestP50[i] = cyclictests.get(i).percentileMicros(0.5);
            probeMax[i] = probes.get(i).maxMicros();
            cyclictestMax[i] = cyclictests.get(i).maxMicros();
            roundRow(table, Integer.toString(i + 1), probeP50[i], cyclictestP50[i], probeMax[i], cyclictestMax[i]);
            maxMet += met(probeMax[i], cyclictestMax[i], MAX_GOAL) ? 1 : 0;
            medianMet += met(probeP50[i], cyclictestP50[i], MEDIAN_GOAL) ? 1 : 0;
        }
        double typicalProbeMax = new Samples(probeMax).median();
        double typicalCyclictestMax = new Samples(cyclictestMax).median();
        roundRow(table, "median", new Samples(probeP50).median(), new Samples(cyclictestP50).median(),
                typicalProbeMax, typicalCyclictestMax);
        return table + "\n"
                + "Within the goals, round by round: max in " + maxMet + " of " + n + " rounds, median in "
                + medianMet + " of " + n + ".\n"
                + goal("max, the median of the rounds' maxima,", typicalProbeMax, typicalCyclictestMax, MAX_GOAL);
    }

    private static void roundRow(MarkdownTable table, String round, double probeP50, double cyclictestP50,
            double probeMax, double cyclictestMax) {
        table.row(round, Figures.format(probeP50), Figures.format(cyclictestP50), Figures.ratio(probeP50, cyclictestP50),
                Figures.format(probeMax), Figures.format(cyclictestMax), Figures.ratio(probeMax, cyclictestMax));
    }

    private static void row(MarkdownTable table, String name, LatencyRun r) {
        table.row(name, Long.toString(r.cycles()), Figures.format(r.minMicros()), Figures.format(r.avgMicros()),
                Figures.format(r.percentileMicros(0.5)), Figures.format(r.percentileMicros(0.99)),
                Figures.format(r.percentileMicros(0.9999)), Figures.format(r.maxMicros()), Long.toString(r.overflows()));
    }

    private static boolean measured(double probe, double cyclictest) {
        return !Double.isNaN(probe) && !Double.isNaN(cyclictest) && cyclictest != 0;
    }

    private static boolean met(double probe, double cyclictest, double goal) {
        return measured(probe, cyclictest) && probe / cyclictest <= goal;
    }

    private static String goal(String what, double probe, double cyclictest, double goal) {
        String verdict = !measured(probe, cyclictest) ? "not measured" : met(probe, cyclictest, goal) ? "met" : "NOT met";
        return "Goal probe " + what + " within " + Figures.format(goal) + "x of cyclictest's: "
                + Figures.ratio(probe, cyclictest) + " -> " + verdict + "\n";
    }
}
