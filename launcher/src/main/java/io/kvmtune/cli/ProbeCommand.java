package io.kvmtune.cli;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.probe.LatencyHistogram;
import io.kvmtune.core.probe.LatencyProbe;
import io.kvmtune.core.probe.ProbeConfig;
import io.kvmtune.core.probe.ProbeResult;
import io.kvmtune.core.probe.SvgHistogram;
import io.kvmtune.linux.Affinity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kvmtune probe}: cyclictest's measurement (one SCHED_FIFO thread pinned per CPU, absolute
 * {@code clock_nanosleep} wake-ups, memory locked) with its result as a table or cyclictest-like
 * JSON, and the histogram as an SVG.
 *
 * <p>Ctrl-C ends the run early, as with cyclictest: a shutdown hook stops the probe and waits
 * until the measurement threads have ended and memory is unlocked, and the partial result is
 * still printed. Run the probe with the C2 compiler available (the {@code ./kvmtune} script does):
 * its loop allocates nothing only once escape analysis has compiled it.
 */
@Command(name = "probe", description = "Latency probe: timer wake-up latency on chosen CPUs, as cyclictest measures it.")
final class ProbeCommand extends Subcommand {

    /** How long Ctrl-C waits for the measurement to wind down: one wake-up plus thread exit, with room to spare. */
    private static final long STOP_WAIT_SECONDS = 15;

    @Option(names = "--cpus", paramLabel = "SET",
            description = "CPUs to measure on, one thread each (cpu spec, e.g. 2-3,6; default: every CPU this process may use).")
    String cpus;

    @Option(names = "--priority", paramLabel = "P", defaultValue = "80",
            description = "SCHED_FIFO priority of the measurement threads, 1..99 (default: ${DEFAULT-VALUE}).")
    int priority;

    @Option(names = "--interval", paramLabel = "US", defaultValue = "1000",
            description = "Wake-up interval in microseconds (default: ${DEFAULT-VALUE}).")
    long intervalMicros;

    @ArgGroup(exclusive = true)
    Length length;

    static final class Length {
        @Option(names = "--duration", paramLabel = "D",
                description = "How long to run: 500ms, 30s, 5m, 2h, or seconds (default: 10s).")
        String duration;

        @Option(names = "--loops", paramLabel = "N", description = "Wake-ups per CPU.")
        Long loops;
    }

    @Option(names = "--histogram", paramLabel = "FILE",
            description = "Write the histogram of all CPUs here as SVG (linear and log scale).")
    Path histogram;

    @Option(names = "--histogram-max", paramLabel = "US", defaultValue = "1000",
            description = "Histogram range in µs; longer wake-ups count as overflows (default: ${DEFAULT-VALUE}).")
    int histogramMaxMicros;

    @Option(names = "--laptop", description = "Leave the CPU latency limit (/dev/cpu_dma_latency) alone, as cyclictest's"
            + " --laptop does: wake-ups then also measure leaving idle states.")
    boolean laptop;

    /** Printed on stderr once warm-up is over and wake-ups count. */
    static final String MEASURING = "kvmtune probe: measuring";

    @Override
    ExitStatus run() throws InterruptedException, IOException {
        LatencyProbe probe = new LatencyProbe(config());
        CountDownLatch reported = new CountDownLatch(1);
        Thread onCtrlC = Thread.ofPlatform().name("kvmtune-probe-stop").unstarted(() -> {
            probe.stop();
            try {
                reported.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            report(probe.run(() -> {
                err().println(MEASURING + "; Ctrl-C stops and reports what was measured");
                err().flush();
            }));
            return ExitStatus.OK;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and returns now that the report is out
            }
        }
    }

    private ProbeConfig config() {
        CpuSet on = cpus == null ? CpuSet.fromBitSet(Affinity.get(0)) : CpuSet.parse(cpus, "--cpus");
        long loops = length != null && length.loops != null ? length.loops : 0;
        if (length != null && length.loops != null && loops < 1) {
            throw InvalidInputException.invalid("--loops", Long.toString(loops), "give a positive number of wake-ups");
        }
        Duration duration = loops > 0 ? null
                : parseDuration(length != null && length.duration != null ? length.duration : "10s");
        return new ProbeConfig(on, priority, intervalMicros, loops, duration, histogramMaxMicros, true, !laptop);
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or plain seconds, as cyclictest's {@code -D}. */
    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int unitAt = 0;
        while (unitAt < t.length() && Character.isDigit(t.charAt(unitAt))) {
            unitAt++;
        }
        String unit = t.substring(unitAt);
        if (unitAt == 0 || unitAt > 9) {
            throw InvalidInputException.invalid("--duration", text, "a duration is a whole number with an optional unit"
                    + " ms, s, m, h or d, e.g. 30s");
        }
        long n = Long.parseLong(t.substring(0, unitAt));
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "", "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw InvalidInputException.invalid("--duration", text, "unknown unit '" + unit
                    + "'; use ms, s, m, h or d");
        };
        if (d.isZero()) {
            throw InvalidInputException.invalid("--duration", text, "the duration must be positive");
        }
        return d;
    }

    private void report(ProbeResult result) throws IOException {
        if (histogram != null) {
            Files.writeString(histogram, SvgHistogram.render(result.total(), String.format(Locale.ROOT,
                    "kvmtune probe: CPUs %s, SCHED_FIFO %d, interval %d µs, %d wake-ups",
                    result.config().cpus().format(), priority, intervalMicros, result.total().count())));
        }
        switch (format()) {
            case JSON -> out().println(Json.pretty(result));
            default -> table(result, out());
        }
        out().flush();
    }

    private static void table(ProbeResult result, PrintWriter out) {
        String row = "%-6s %8s %10s %9s %9s %9s %7s %7s %9s %9s %12s%n";
        out.printf(Locale.ROOT, row, "CPU", "TID", "CYCLES", "MIN(µs)", "AVG(µs)", "MAX(µs)", "P50", "P99",
                "P99.99", "OVERFLOWS", "LOOP_ALLOC_B");
        for (ProbeResult.ThreadResult t : result.threads()) {
            line(out, row, Integer.toString(t.cpu()), Integer.toString(t.tid()), t.histogram(),
                    Long.toString(t.loopAllocatedBytes()));
        }
        if (result.threads().size() > 1) {
            line(out, row, "all", "", result.total(), "");
        }
    }

    private static void line(PrintWriter out, String row, String cpu, String tid, LatencyHistogram h, String allocated) {
        out.printf(Locale.ROOT, row, cpu, tid, h.count(), micros(h.minNanos()), micros(Math.round(h.avgNanos())),
                micros(h.maxNanos()), h.percentileMicros(0.50), h.percentileMicros(0.99), h.percentileMicros(0.9999),
                h.overflows(), allocated);
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1_000.0);
    }
}
