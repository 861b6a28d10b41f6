package io.kvmtune.core.probe;

import io.kvmtune.core.json.JsonWritable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a probe run measured, per thread and over all threads.
 *
 * <p>The JSON follows cyclictest's {@code --json} layout where it can ({@code num_threads},
 * {@code resolution_in_ns}, {@code thread.N} with {@code histogram}, {@code cycles}, {@code min},
 * {@code max}, {@code avg}, {@code cpu}), with microsecond values as cyclictest reports them,
 * its keys spelled without cyclictest's stray colons, plus percentiles and a total.
 */
public record ProbeResult(ProbeConfig config, Instant start, Instant end, List<ThreadResult> threads)
        implements JsonWritable {

    /**
     * One measurement thread's outcome.
     *
     * @param loopAllocatedBytes bytes the thread allocated inside its measurement loop; 0 proves
     *     the loop gave the garbage collector nothing to do
     */
    public record ThreadResult(int cpu, int tid, LatencyHistogram histogram, long loopAllocatedBytes) {
    }

    public ProbeResult {
        threads = List.copyOf(threads);
    }

    /** All threads' samples together. */
    public LatencyHistogram total() {
        LatencyHistogram total = new LatencyHistogram(config.histogramMaxMicros());
        threads.forEach(t -> total.add(t.histogram()));
        return total;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file_version", 1);
        m.put("tool", "kvmtune probe");
        m.put("start_time", start.toString());
        m.put("end_time", end.toString());
        m.put("priority", config.priority());
        m.put("interval_us", config.intervalMicros());
        m.put("mlockall", config.lockMemory());
        m.put("cpu_latency_limit_us", config.limitCpuLatency() ? 0 : null);
        m.put("num_threads", threads.size());
        m.put("resolution_in_ns", 1);
        Map<String, Object> perThread = new LinkedHashMap<>();
        for (int i = 0; i < threads.size(); i++) {
            ThreadResult t = threads.get(i);
            Map<String, Object> tm = stats(t.histogram());
            tm.put("cpu", t.cpu());
            tm.put("tid", t.tid());
            tm.put("loop_allocated_bytes", t.loopAllocatedBytes());
            tm.put("histogram", t.histogram().nonEmptyBuckets());
            perThread.put(Integer.toString(i), tm);
        }
        m.put("thread", perThread);
        m.put("total", stats(total()));
        return m;
    }

    private static Map<String, Object> stats(LatencyHistogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cycles", h.count());
        m.put("min", h.minNanos() / 1_000.0);
        m.put("avg", Math.round(h.avgNanos()) / 1_000.0);
        m.put("max", h.maxNanos() / 1_000.0);
        m.put("p50", h.percentileMicros(0.50));
        m.put("p99", h.percentileMicros(0.99));
        m.put("p99_99", h.percentileMicros(0.9999));
        m.put("overflows", h.overflows());
        return m;
    }
}
