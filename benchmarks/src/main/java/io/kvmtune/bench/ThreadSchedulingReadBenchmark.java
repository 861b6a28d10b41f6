package io.kvmtune.bench;

import io.kvmtune.linux.Affinity;
import io.kvmtune.linux.Scheduling;
import io.kvmtune.linux.Threads;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading a thread's CPU affinity and scheduling policy, the way kvmtune's show/verify do it
 * (FFM sched_getaffinity + sched_getattr through the io.kvmtune.linux facade) beside the way shell
 * tooling does it (fork/exec of {@code taskset -p} and {@code chrt -p}), with an empty downcall as
 * the floor of any FFM call.
 *
 * <p>Pitfalls avoided: results go to a {@link Blackhole} so the JIT cannot drop the calls as dead
 * code; the thread id and the baseline's argument live in a {@code Scope.Thread} state read at run
 * time, so nothing is constant-folded, and {@code @Setup} runs on the benchmark thread so the tid
 * is the measuring thread's own; the restricted-method flag is in {@code @Fork(jvmArgsAppend)}
 * because a command-line {@code -jvmArgsAppend} would replace it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--illegal-native-access=deny"})
@State(Scope.Thread)
public class ThreadSchedulingReadBenchmark {

    // abs(3) does no work: what is left is the cost of the downcall itself
    private static final MethodHandle ABS = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("abs").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private int tid;
    private int absArgument;

    @Setup
    public void setUp() {
        tid = Threads.currentTid();
        absArgument = -tid;
    }

    @Benchmark
    public int emptyDowncallBaseline() throws Throwable {
        return (int) ABS.invokeExact(absArgument);
    }

    @Benchmark
    public void ffmAffinityAndSchedAttr(Blackhole bh) {
        bh.consume(Affinity.get(tid));
        bh.consume(Scheduling.get(tid));
    }

    @Benchmark
    public void tasksetAndChrtProcesses(Blackhole bh) throws IOException, InterruptedException {
        bh.consume(run("taskset", "-p", Integer.toString(tid)));
        bh.consume(run("chrt", "-p", Integer.toString(tid)));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
