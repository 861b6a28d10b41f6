package io.kvmtune.bench.report;

import io.kvmtune.bench.report.MarkdownTable.Align;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Summarises one run of {@code benchmarks/compare-apply.sh}:
 * {@code ApplyTimingSummary TIMINGS.tsv [SKIPPED_METHOD=REASON ...]}, where each line of the
 * file is {@code METHOD ROUND PLAN NANOS THREADS} for one timed apply. Prints a Markdown table
 * of median, min and max per method (ms per apply and µs per thread), each median's ratio to the
 * two C loops' (the two changing system calls alone, and every system call the apply makes), the
 * issue's two goals, and how far the in-process apply is from the two-syscall floor.
 */
public final class ApplyTimingSummary {

    private static final double IN_PROCESS_GOAL = 1.5;
    private static final double COLD_CLI_GOAL = 1.0;

    private ApplyTimingSummary() {
    }

    /** One timed apply. */
    record Timing(ApplyMethod method, int round, String plan, long nanos, int threads) {

        static Timing parse(String line) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 5) {
                throw new IllegalArgumentException("a timing line is 'METHOD ROUND PLAN NANOS THREADS', not '" + line + "'");
            }
            return new Timing(ApplyMethod.ofId(f[0]), Integer.parseInt(f[1]), f[2], Long.parseLong(f[3]),
                    Integer.parseInt(f[4]));
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ApplyTimingSummary TIMINGS_TSV [METHOD=WHY_SKIPPED ...]");
            System.exit(2);
        }
        List<Timing> timings = parseAll(Files.readAllLines(Path.of(args[0])));
        Map<ApplyMethod, String> skipped = new EnumMap<>(ApplyMethod.class);
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            skipped.put(ApplyMethod.ofId(args[i].substring(0, eq)), args[i].substring(eq + 1));
        }
        System.out.print(render(timings, skipped));
    }

    static String render(List<Timing> timings, Map<ApplyMethod, String> skipped) {
        Map<ApplyMethod, Samples> millis = new EnumMap<>(ApplyMethod.class);
        Map<ApplyMethod, Integer> threads = new EnumMap<>(ApplyMethod.class);
        for (ApplyMethod m : ApplyMethod.values()) {
            List<Timing> mine = timings.stream().filter(t -> t.method() == m).toList();
            if (!mine.isEmpty()) {
                millis.put(m, new Samples(mine.stream().mapToDouble(t -> t.nanos() / 1e6).toArray()));
                threads.put(m, mine.getFirst().threads());
            }
        }
        double floor = median(millis, ApplyMethod.C_LOOP);
        double applySyscalls = median(millis, ApplyMethod.C_LOOP_APPLY_SYSCALLS);
        MarkdownTable table = new MarkdownTable("Method", Align.LEFT, "Runs", Align.RIGHT, "Threads", Align.RIGHT,
                "Median ms", Align.RIGHT, "Min ms", Align.RIGHT, "Max ms", Align.RIGHT, "Median µs/thread", Align.RIGHT,
                "Min µs/thread", Align.RIGHT, "Max µs/thread", Align.RIGHT, "Median / C loop", Align.RIGHT,
                "Median / C apply syscalls", Align.RIGHT);
        millis.forEach((m, s) -> {
            double perThread = 1000.0 / threads.get(m);
            table.row(m.id(), Integer.toString(s.count()), Integer.toString(threads.get(m)),
                    Figures.format(s.median()), Figures.format(s.min()), Figures.format(s.max()),
                    Figures.format(s.median() * perThread), Figures.format(s.min() * perThread),
                    Figures.format(s.max() * perThread), Figures.ratio(s.median(), floor),
                    Figures.ratio(s.median(), applySyscalls));
        });
        StringBuilder out = new StringBuilder();
        out.append(table.isEmpty() ? "No timings.\n" : table.toString()).append('\n');
        millis.keySet().forEach(m -> out.append("- ").append(m.id()).append(": ").append(m.description()).append('\n'));
        skipped.forEach((m, why) -> out.append("- ").append(m.id()).append(": NOT RUN: ").append(why).append('\n'));
        out.append('\n');
        goal(out, "in-process / c-loop-apply-syscalls", millis.get(ApplyMethod.IN_PROCESS),
                millis.get(ApplyMethod.C_LOOP_APPLY_SYSCALLS), IN_PROCESS_GOAL);
        goal(out, "cold-cli / shell-hook", millis.get(ApplyMethod.COLD_CLI), millis.get(ApplyMethod.SHELL_HOOK), COLD_CLI_GOAL);
        out.append("Floor in-process / c-loop (the two changing system calls alone, without kvmtune's identity"
                + " checks, read-back and record): ");
        if (millis.containsKey(ApplyMethod.IN_PROCESS) && millis.containsKey(ApplyMethod.C_LOOP)) {
            out.append(Figures.ratio(millis.get(ApplyMethod.IN_PROCESS).median(), floor)).append(" (medians)\n");
        } else {
            out.append("not measured (a method was not run)\n");
        }
        return out.toString();
    }

    private static double median(Map<ApplyMethod, Samples> millis, ApplyMethod method) {
        return Optional.ofNullable(millis.get(method)).map(Samples::median).orElse(Double.NaN);
    }

    private static void goal(StringBuilder out, String what, Samples measured, Samples baseline, double goal) {
        out.append("Goal ").append(what).append(" <= ").append(Figures.format(goal)).append("x: ");
        if (measured == null || baseline == null) {
            out.append("not measured (a method was not run)\n");
            return;
        }
        double ratio = measured.median() / baseline.median();
        out.append(Figures.ratio(measured.median(), baseline.median())).append(" (medians) -> ")
                .append(ratio <= goal ? "met" : "NOT met").append('\n');
    }

    static List<Timing> parseAll(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank()).map(Timing::parse).toList();
    }
}
