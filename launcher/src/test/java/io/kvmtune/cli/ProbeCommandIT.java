package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kvmtune probe} for real: SCHED_FIFO threads on this host's CPUs, in this JVM and in child JVMs. */
class ProbeCommandIT {

    private static String cpu;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsRoot() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "SCHED_FIFO and mlockall need root");
        cpu = Integer.toString(CpuSet.parse(Files.readString(Path.of("/sys/devices/system/cpu/online"))).first());
    }

    @Test
    void printsCyclictestLikeJsonAndWritesTheSvgHistogram() throws IOException {
        Path svg = dir.resolve("latency.svg");
        CommandRun run = kvmtune("probe", "--cpus", cpu, "--loops", "300", "--interval", "200",
                "--histogram", svg.toString(), "--format", "json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonObject json = Json.parseObject(run.out());
        assertThat(json.intValue("priority")).isEqualTo(80);
        assertThat(json.integer("interval_us")).isEqualTo(200);
        JsonObject thread = json.object("thread").object("0");
        assertThat(thread.integer("cycles")).isEqualTo(300);
        assertThat(thread.intValue("cpu")).isEqualTo(Integer.parseInt(cpu));
        assertThat(thread.integer("loop_allocated_bytes")).isZero();
        String picture = Files.readString(svg);
        assertThat(picture).startsWith("<svg").contains("300 wake-ups").endsWith("</svg>\n");
    }

    /**
     * The loop's allocation-freedom shown the strongest way: under the Epsilon GC nothing is ever
     * collected, so the run would die of an exhausted small heap if anything were allocated per
     * wake-up, and the GC log proves which collector ran.
     */
    @Test
    void runsUnderTheEpsilonCollectorInASmallHeapWithNothingAllocatedInTheLoop() throws Exception {
        Path gcLog = dir.resolve("gc.log");
        Child child = Child.start(dir, List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+UseEpsilonGC", "-Xmx96m",
                "-Xlog:gc:file=" + gcLog), "probe", "--cpus", cpu, "--duration", "3s", "--interval", "500",
                "--format", "json");
        assertThat(child.process.waitFor(120, TimeUnit.SECONDS)).as("probe ended").isTrue();
        assertThat(child.process.exitValue()).as(child.err()).isZero();
        JsonObject thread = Json.parseObject(child.out()).object("thread").object("0");
        assertThat(thread.integer("cycles")).as("about 3 s of 500 µs wake-ups").isGreaterThan(3_000);
        assertThat(thread.integer("loop_allocated_bytes")).isZero();
        String log = Files.readString(gcLog);
        assertThat(log).contains("Using Epsilon").doesNotContain("Pause");
    }

    @Test
    void ctrlCStopsTheRunAndStillReportsWhatWasMeasured() throws Exception {
        // A command a non-interactive shell starts in the background has SIGINT ignored, and so has every
        // process below it: the probe's JVM then installs no handler and Ctrl-C cannot reach it.
        assumeTrue(!ignoresSigint(), "SIGINT is ignored in this test run (started in the background by a "
                + "non-interactive shell?); the probe's child inherits that, so Ctrl-C cannot be tested");
        Child child = Child.start(dir, List.of(), "probe", "--cpus", cpu, "--duration", "10m", "--interval", "20000");
        try {
            awaitMeasuring(child);
            Thread.sleep(10 * 20); // ten 20 ms intervals: some wake-ups to report
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(child.process.pid())).start().waitFor()).isZero();
            assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).as("probe ended after SIGINT").isTrue();
        } finally {
            child.process.destroyForcibly();
        }
        assertThat(child.process.exitValue()).as("killed by SIGINT").isEqualTo(130);
        List<String> lines = child.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("CPU").contains("CYCLES");
        String[] row = lines.get(1).strip().split("\\s+");
        assertThat(row[0]).isEqualTo(cpu);
        assertThat(Long.parseLong(row[2])).as("wake-ups measured before Ctrl-C in %s", child.out() + child.err()).isPositive();
    }

    /** Whether this process ignores SIGINT ({@code SigIgn} in /proc/self/status, bit 1 for signal 2). */
    private static boolean ignoresSigint() throws IOException {
        String mask = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("SigIgn:"))
                .findFirst().orElseThrow().substring("SigIgn:".length()).strip();
        return (Long.parseUnsignedLong(mask, 16) & 0x2) != 0;
    }

    /** Waits until the child says its probe threads have warmed up and are measuring. */
    private static void awaitMeasuring(Child child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (child.err().contains(ProbeCommand.MEASURING)) {
                return;
            }
            if (!child.process.isAlive()) {
                throw new AssertionError("the probe ended before measuring: " + child.err());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the probe did not start measuring within 120 s: " + child.err());
    }

    /** {@code kvmtune} in a child JVM with C2 (as the ./kvmtune script runs probe), output to files. */
    private record Child(Process process, Path outFile, Path errFile) {

        static Child start(Path dir, List<String> jvmOptions, String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("--enable-native-access=ALL-UNNAMED");
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(List.of(args));
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Child(p, out, err);
        }

        String out() throws IOException {
            return Files.readString(outFile, StandardCharsets.UTF_8);
        }

        String err() throws IOException {
            return Files.readString(errFile, StandardCharsets.UTF_8);
        }
    }
}
