package io.kvmtune.bench;

import io.kvmtune.core.files.KernelFile;
import io.kvmtune.linux.Threads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading one of the small kernel files an apply reads before it changes a thread (a thread's
 * cgroups from {@code /proc}, a cgroup's cpu list): {@link KernelFile#read}, which opens, reads to
 * the end and closes through raw system calls, beside {@link Files#readString}, which also stats
 * the file and, as these report size 0, probes with a one-byte read.
 *
 * <p>Pitfalls avoided: the path lives in a {@code Scope.Thread} state built in {@code @Setup} on
 * the benchmark thread (its own task's file, never a constant), and the content is returned so
 * the JIT cannot drop the read.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--illegal-native-access=deny"})
@State(Scope.Thread)
public class KernelFileReadBenchmark {

    /**
     * {@code proc-cgroup}: the thread's groups (every apply reads it per thread);
     * {@code cpuset}: the root cpuset's cpu list (v1, or v2's effective one).
     */
    @Param({"proc-cgroup", "cpuset"})
    public String file;

    private Path path;

    @Setup
    public void setUp() {
        Path v1 = Path.of("/sys/fs/cgroup/cpuset/cpuset.cpus");
        path = file.equals("proc-cgroup") ? Path.of("/proc/self/task/" + Threads.currentTid() + "/cgroup")
                : Files.exists(v1) ? v1 : Path.of("/sys/fs/cgroup/cpuset.cpus.effective");
    }

    @Benchmark
    public String kernelFileRead() throws IOException {
        return KernelFile.read(path).orElseThrow();
    }

    @Benchmark
    public String filesReadString() throws IOException {
        return Files.readString(path, StandardCharsets.UTF_8);
    }
}
