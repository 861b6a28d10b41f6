package io.kvmtune.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probe on real threads of this JVM: SCHED_FIFO, pinned, mlockall, as cyclictest would run. */
class LatencyProbeIT {

    private static CpuSet cpus;

    @BeforeAll
    static void needsRootAndCpus() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "SCHED_FIFO and mlockall need root");
        cpus = CpuSet.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")));
    }

    @Test
    void measuresEveryWakeUpOnEachCpuWithoutAllocatingInTheLoop() throws Exception {
        ProbeResult r = new LatencyProbe(new ProbeConfig(cpus, 10, 200, 500, null, 1000, false, false)).run();
        assertThat(r.threads()).hasSize(cpus.size());
        for (ProbeResult.ThreadResult t : r.threads()) {
            assertThat(t.histogram().count()).as("cycles on cpu %d", t.cpu()).isEqualTo(500);
            assertThat(t.loopAllocatedBytes()).as("bytes allocated in the loop on cpu %d", t.cpu()).isZero();
            assertThat(t.histogram().maxNanos()).isGreaterThan(0);
        }
        JsonObject json = Json.parseObject(Json.write(r));
        assertThat(json.intValue("num_threads")).isEqualTo(cpus.size());
        assertThat(json.object("thread").object("0").integer("cycles")).isEqualTo(500);
        assertThat(json.object("total").integer("cycles")).isEqualTo(500L * cpus.size());
    }

    @Test
    void threadsRunSchedFifoPinnedToTheirCpuWhileMeasuring() throws Exception {
        LatencyProbe probe = new LatencyProbe(new ProbeConfig(cpus, 7, 500, 2_000, null, 1000, false, false));
        CompletableFuture<ProbeResult> run = runInBackground(probe);
        try {
            Map<Integer, String[]> seen = waitForProbeThreads(cpus.size());
            for (String[] stat : seen.values()) {
                // stat fields after the comm: index 0 is field 3 (state); rt_priority is 40, policy 41
                assertThat(stat[40 - 3]).as("rt_priority").isEqualTo("7");
                assertThat(stat[41 - 3]).as("policy (1 = SCHED_FIFO)").isEqualTo("1");
            }
        } finally {
            ProbeResult r = run.get(30, TimeUnit.SECONDS);
            assertThat(r.total().count()).isEqualTo(2_000L * cpus.size());
        }
    }

    @Test
    void stopEndsARunLongBeforeItsDuration() throws Exception {
        LatencyProbe probe = new LatencyProbe(new ProbeConfig(cpus, 5, 1000, 0, Duration.ofMinutes(5), 100, false, false));
        CompletableFuture<ProbeResult> run = runInBackground(probe);
        waitForProbeThreads(cpus.size());
        Thread.sleep(200);
        long stoppedAt = System.nanoTime();
        probe.stop();
        ProbeResult r = run.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(5));
        for (ProbeResult.ThreadResult t : r.threads()) {
            assertThat(t.loopAllocatedBytes()).as("bytes allocated in a loop ended by stop() on cpu %d", t.cpu()).isZero();
        }
    }

    @Test
    void aDurationRunLastsItsDurationBecauseWarmUpHappensBeforeTheStart() throws Exception {
        ProbeResult r = new LatencyProbe(new ProbeConfig(cpus, 5, 1000, 0, Duration.ofSeconds(1), 100, false, false)).run();
        assertThat(Duration.between(r.start(), r.end())).isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
        assertThat(r.threads().getFirst().histogram().count()).isBetween(500L, 1001L);
    }

    @Test
    void locksMemoryForTheRunAndUnlocksItAfterwards() throws Exception {
        assertThat(vmLckKb()).as("VmLck before").isZero();
        LatencyProbe probe = new LatencyProbe(new ProbeConfig(CpuSet.of(cpus.first()), 5, 1000, 0,
                Duration.ofSeconds(20), 100, true, false));
        CompletableFuture<ProbeResult> run = runInBackground(probe);
        long during;
        try {
            waitForProbeThreads(1);
            during = vmLckKb();
        } finally {
            probe.stop();
        }
        run.get(10, TimeUnit.SECONDS);
        assertThat(during).as("VmLck during the run").isPositive();
        assertThat(vmLckKb()).as("VmLck after the run").isZero();
    }

    @Test
    void holdsTheCpuLatencyLimitAtZeroWhileMeasuringAndLetsItGoAfter() throws Exception {
        assumeTrue(Files.isReadable(CpuLatencyLimit.DEVICE), CpuLatencyLimit.DEVICE + " is missing (no PM QoS)");
        int before = cpuLatencyLimit();
        assumeTrue(before != 0, "another process holds the CPU latency limit at 0 already");
        LatencyProbe probe = new LatencyProbe(new ProbeConfig(CpuSet.of(cpus.first()), 5, 1000, 0,
                Duration.ofMinutes(5), 100, false, true));
        CompletableFuture<ProbeResult> run = runInBackground(probe);
        try {
            waitForProbeThreads(1);
            assertThat(cpuLatencyLimit()).isZero();
        } finally {
            probe.stop();
            JsonObject json = Json.parseObject(Json.write(run.get(30, TimeUnit.SECONDS)));
            assertThat(json.integer("cpu_latency_limit_us")).isZero();
        }
        assertThat(cpuLatencyLimit()).isEqualTo(before);
    }

    /** The kernel's current CPU latency limit in µs: reading the PM QoS device gives a native s32. */
    private static int cpuLatencyLimit() throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(CpuLatencyLimit.DEVICE)).order(ByteOrder.nativeOrder()).getInt();
    }

    private static CompletableFuture<ProbeResult> runInBackground(LatencyProbe probe) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return probe.run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long vmLckKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmLck:"))
                .map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong).findFirst().orElseThrow();
    }

    /** Polls /proc/self/task until {@code n} probe threads run, returning their stat fields by tid. */
    private static Map<Integer, String[]> waitForProbeThreads(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<Integer, String[]> found = new HashMap<>();
        while (System.nanoTime() < deadline) {
            found.clear();
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        if (!Files.readString(task.resolve("comm")).startsWith("kvmtune-probe")) {
                            continue;
                        }
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
                        if (!"1".equals(fields[41 - 3])) {
                            continue; // still starting: not yet SCHED_FIFO
                        }
                        String allowed = Files.readAllLines(task.resolve("status")).stream()
                                .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow();
                        assertThat(CpuSet.parse(allowed.substring(allowed.indexOf(':') + 1)).size())
                                .as("probe thread %s pinned to one CPU", task).isEqualTo(1);
                        found.put(Integer.parseInt(task.getFileName().toString()), fields);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // a thread that exited while listing
                    }
                }
            }
            if (found.size() == n) {
                return found;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + n + " SCHED_FIFO probe threads, saw " + found.size());
    }
}
