package io.kvmtune.core.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wake-up latencies of one measurement thread: exact minimum, maximum and mean in nanoseconds,
 * and a histogram of 1 µs buckets (cyclictest's resolution) for percentiles.
 *
 * <p>Every array is allocated up front, so {@link #record} allocates nothing: the measurement loop
 * must not give the garbage collector a reason to stop it.
 */
public final class LatencyHistogram {

    private final long[] buckets;
    private long overflows;
    private long count;
    private long sumNanos;
    private long minNanos = Long.MAX_VALUE;
    private long maxNanos = Long.MIN_VALUE;

    /** @param maxMicros latencies of this many µs or more count as overflows */
    public LatencyHistogram(int maxMicros) {
        if (maxMicros < 1) {
            throw new IllegalArgumentException("histogram needs at least one 1 µs bucket, not " + maxMicros);
        }
        this.buckets = new long[maxMicros];
    }

    /** Records one wake-up latency. A negative value (a wake-up before the deadline) counts as 0. */
    public void record(long latencyNanos) {
        long l = Math.max(0, latencyNanos);
        count++;
        sumNanos += l;
        if (l < minNanos) {
            minNanos = l;
        }
        if (l > maxNanos) {
            maxNanos = l;
        }
        long micros = l / 1_000;
        if (micros < buckets.length) {
            buckets[(int) micros]++;
        } else {
            overflows++;
        }
    }

    /** Adds {@code other}'s samples to this histogram (same bucket count). */
    public void add(LatencyHistogram other) {
        if (other.buckets.length != buckets.length) {
            throw new IllegalArgumentException("histograms differ in size: " + other.buckets.length + " vs " + buckets.length);
        }
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] += other.buckets[i];
        }
        overflows += other.overflows;
        count += other.count;
        sumNanos += other.sumNanos;
        minNanos = Math.min(minNanos, other.minNanos);
        maxNanos = Math.max(maxNanos, other.maxNanos);
    }

    public long count() {
        return count;
    }

    public long overflows() {
        return overflows;
    }

    public int maxMicros() {
        return buckets.length;
    }

    /** Samples in the 1 µs bucket starting at {@code micros}. */
    public long bucket(int micros) {
        return buckets[micros];
    }

    public long minNanos() {
        return count == 0 ? 0 : minNanos;
    }

    public long maxNanos() {
        return count == 0 ? 0 : maxNanos;
    }

    public double avgNanos() {
        return count == 0 ? 0 : (double) sumNanos / count;
    }

    /**
     * The latency, in whole µs, below which {@code fraction} of the samples fall: the upper edge
     * of the bucket holding that rank (so p99 = 12 means 99 % woke within 12 µs). Ranks that land
     * among the overflows report the exact maximum.
     */
    public long percentileMicros(double fraction) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * count);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return Math.min(i + 1, (maxNanos + 999) / 1_000);
            }
        }
        return (maxNanos + 999) / 1_000;
    }

    /** Non-empty buckets as {@code "micros": count}, as cyclictest's JSON lists them. */
    Map<String, Object> nonEmptyBuckets() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < buckets.length; i++) {
            if (buckets[i] != 0) {
                m.put(Integer.toString(i), buckets[i]);
            }
        }
        return m;
    }
}
