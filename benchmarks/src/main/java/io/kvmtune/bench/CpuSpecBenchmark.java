package io.kvmtune.bench;

import io.kvmtune.core.cpu.CpuSet;
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
 * Parsing and formatting cpu specs ({@code parse_cpu_spec} / {@code format_cpu_spec}), the text
 * every nova.conf set, mask, sysfs list and libvirt cpuset goes through.
 *
 * <p>Pitfalls avoided: the spec is a {@code @Param} field, not a literal, so the JIT cannot fold
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

    /** A dedicated set, a caret mask, a 512-CPU list of single CPUs (worst case for format). */
    @Param({"4-15,20-31", "0-63,^0-1,^32-33", "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40,42,44,46,48,50,"
            + "52,54,56,58,60,62,64,66,68,70,72,74,76,78,80,82,84,86,88,90,92,94,96,98,100,102,104,106,108,110,112,114,"
            + "116,118,120,122,124,126,128,130,132,134,136,138,140,142,144,146,148,150,152,154,156,158,160,162,164,166,"
            + "168,170,172,174,176,178,180,182,184,186,188,190,192,194,196,198,200,202,204,206,208,210,212,214,216,218,"
            + "220,222,224,226,228,230,232,234,236,238,240,242,244,246,248,250,252,254,256,258,260,262,264,266,268,270,"
            + "272,274,276,278,280,282,284,286,288,290,292,294,296,298,300,302,304,306,308,310,312,314,316,318,320,322,"
            + "324,326,328,330,332,334,336,338,340,342,344,346,348,350,352,354,356,358,360,362,364,366,368,370,372,374,"
            + "376,378,380,382,384,386,388,390,392,394,396,398,400,402,404,406,408,410,412,414,416,418,420,422,424,426,"
            + "428,430,432,434,436,438,440,442,444,446,448,450,452,454,456,458,460,462,464,466,468,470,472,474,476,478,"
            + "480,482,484,486,488,490,492,494,496,498,500,502,504,506,508,510"})
    public String spec;

    private CpuSet set;
    private String number;

    @Setup
    public void setUp() {
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
