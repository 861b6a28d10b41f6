package io.kvmtune.bench;

import io.kvmtune.core.cpu.CpuSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
 * Parsing and formatting cpu specs ({@code parse_cpu_spec} / {@code format_cpu_spec}), the text
 * every nova.conf set, mask, sysfs list and libvirt cpuset goes through.
 *
 * <p>Pitfalls avoided: the spec is a field set in {@code @Setup}, not a literal, so the JIT cannot fold
 * the parse into a constant; results are returned, so they are not dead code; the set to format
 * is built in {@code @Setup}, outside the measurement. {@link #parseOneNumber} is the baseline:
 * the cost of reading one number from a string.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CpuSpecBenchmark {

    /**
     * A dedicated set ({@code 4-15,20-31}), a caret mask ({@code 0-63,^0-1,^32-33}), and every other
     * CPU of 512 written one by one (256 items: the worst case for both directions). Named, so the
     * results table stays readable; the text is built in {@code @Setup}.
     */
    @Param({"dedicated-set", "caret-mask", "every-other-of-512"})
    public String shape;

    private String spec;
    private CpuSet set;
    private String number;

    @Setup
    public void setUp() {
        spec = switch (shape) {
            case "dedicated-set" -> "4-15,20-31";
            case "caret-mask" -> "0-63,^0-1,^32-33";
            case "every-other-of-512" -> IntStream.range(0, 256).mapToObj(i -> Integer.toString(2 * i))
                    .collect(Collectors.joining(","));
            default -> throw new IllegalArgumentException("unknown spec shape " + shape);
        };
        set = CpuSet.parse(spec);
        number = Integer.toString(set.last());
    }

    @Benchmark
    public CpuSet parse() {
        return CpuSet.parse(spec);
    }

    @Benchmark
    public String format() {
        return set.format();
    }

    @Benchmark
    public int parseOneNumber() {
        return Integer.parseInt(number);
    }
}
