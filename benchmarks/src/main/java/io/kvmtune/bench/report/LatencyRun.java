package io.kvmtune.bench.report;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.probe.LatencyHistogram;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wake-up latencies of one cyclictest-style run, over all its measurement threads, read from
 * the JSON that both {@code cyclictest --json} and {@code kvmtune probe --format json} write
 * ({@code thread.N.{cycles, min, avg, max, histogram}}, microseconds).
 *
 * <p>Read tolerantly, because cyclictest 2.x writes some keys with a stray colon
 * ({@code "cmdline:"}) and, for a thread that measured nothing, {@code nan} where a number belongs.
 * Percentiles come from the histogram (1 µs buckets; wake-ups beyond its range count at the
 * maximum), computed the same way for both tools so that they compare.
 *
 * @param cycles wake-ups measured
 * @param minMicros shortest wake-up latency, as the tool reported it
 * @param avgMicros mean latency, weighted by each thread's cycles
 * @param maxMicros longest wake-up latency, as the tool reported it
 * @param histogram every thread's buckets together; empty when the run wrote none (cyclictest without {@code -h})
 */
public record LatencyRun(long cycles, double minMicros, double avgMicros, double maxMicros, LatencyHistogram histogram) {

    /** The upper edge of the bucket holding {@code fraction} of the wake-ups, or NaN without a histogram. */
    public double percentileMicros(double fraction) {
        return histogram.count() == 0 ? Double.NaN : histogram.percentileMicros(fraction);
    }

    /** Wake-ups later than the histogram's range. */
    public long overflows() {
        return histogram.overflows();
    }

    /**
     * Reads a cyclictest or kvmtune probe JSON result, its histogram as long as its highest bucket.
     *
     * @throws JsonException when the text is not JSON or has no thread results
     */
    public static LatencyRun parse(String text) {
        return parse(text, 1);
    }

    /**
     * Reads a cyclictest or kvmtune probe JSON result, its histogram at least {@code minBuckets}
     * 1 µs buckets long: runs read to one length can be {@linkplain #combine combined}.
     *
     * @throws JsonException when the text is not JSON or has no thread results
     */
    public static LatencyRun parse(String text, int minBuckets) {
        JsonObject root = JsonObject.of(withoutStrayColons(Json.parse(text.replaceAll(":\\s*-?nan\\b", ": null"))), "$");
        Map<String, Object> threads = root.object("thread").fields();
        if (threads.isEmpty()) {
            throw new JsonException("$.thread has no measurement threads", -1);
        }
        long cycles = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        double weightedSum = 0;
        int buckets = minBuckets;
        for (String id : threads.keySet()) {
            JsonObject t = root.object("thread").object(id);
            for (String bucket : t.optObject("histogram").map(h -> h.fields().keySet()).orElse(java.util.Set.of())) {
                buckets = Math.max(buckets, Integer.parseInt(bucket) + 1);
            }
        }
        LatencyHistogram all = new LatencyHistogram(buckets);
        for (String id : threads.keySet()) {
            JsonObject t = root.object("thread").object(id);
            long n = t.integer("cycles");
            if (n == 0) {
                continue;
            }
            cycles += n;
            min = Math.min(min, number(t, "min"));
            max = Math.max(max, number(t, "max"));
            weightedSum += number(t, "avg") * n;
            t.optObject("histogram").ifPresent(h -> addBuckets(all, h, n, number(t, "max")));
        }
        return new LatencyRun(cycles, cycles == 0 ? Double.NaN : min, cycles == 0 ? Double.NaN : weightedSum / cycles,
                cycles == 0 ? Double.NaN : max, all);
    }

    /**
     * The wake-ups of several runs together, as one run: cycles summed, the lowest minimum, the
     * highest maximum, the mean weighted by cycles, the histograms added. The histograms must be
     * of one length ({@link #parse(String, int)}).
     */
    public static LatencyRun combine(List<LatencyRun> runs) {
        LatencyHistogram all = new LatencyHistogram(runs.getFirst().histogram().maxMicros());
        long cycles = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        double weightedSum = 0;
        for (LatencyRun r : runs) {
            all.add(r.histogram());
            if (r.cycles() > 0) {
                cycles += r.cycles();
                min = Math.min(min, r.minMicros());
                max = Math.max(max, r.maxMicros());
                weightedSum += r.avgMicros() * r.cycles();
            }
        }
        return new LatencyRun(cycles, cycles == 0 ? Double.NaN : min, cycles == 0 ? Double.NaN : weightedSum / cycles,
                cycles == 0 ? Double.NaN : max, all);
    }

    /**
     * Puts a thread's buckets into {@code all}, each sample at its bucket's start except the
     * maximum, which is recorded exactly (percentiles are capped by it); the thread's cycles
     * beyond its buckets are overflows, recorded at its maximum.
     */
    private static void addBuckets(LatencyHistogram all, JsonObject histogram, long cycles, double maxMicros) {
        long maxNanos = Math.round(maxMicros * 1_000);
        long inBuckets = 0;
        for (String bucket : histogram.fields().keySet()) {
            long count = histogram.integer(bucket);
            long start = Long.parseLong(bucket) * 1_000;
            for (long i = 0; i < count; i++) {
                all.record(i == 0 && start / 1_000 == maxNanos / 1_000 ? maxNanos : start);
            }
            inBuckets += count;
        }
        for (long i = inBuckets; i < cycles; i++) {
            all.record(Math.max(maxNanos, all.maxMicros() * 1_000L));
        }
    }

    private static double number(JsonObject o, String name) {
        if (o.get(name) instanceof Number n) {
            return n.doubleValue();
        }
        throw new JsonException(o.path() + "." + name + " must be a number, not " + o.get(name), -1);
    }

    /** The parsed value with every object key's trailing colons removed ({@code "cmdline:"} becomes {@code "cmdline"}). */
    private static Object withoutStrayColons(Object value) {
        return switch (value) {
            case Map<?, ?> m -> {
                Map<String, Object> clean = new LinkedHashMap<>();
                m.forEach((k, v) -> clean.put(((String) k).replaceAll(":+$", ""), withoutStrayColons(v)));
                yield clean;
            }
            case List<?> l -> l.stream().map(LatencyRun::withoutStrayColons).toList();
            case null, default -> value;
        };
    }
}
