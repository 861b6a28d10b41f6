package io.kvmtune.bench.report;

import java.util.Arrays;

/** Order statistics of a set of measurements: a benchmark on a noisy VM is summarised by them, not by its mean. */
public record Samples(double[] sorted) {

    public Samples {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        sorted = sorted.clone();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    public double min() {
        return sorted[0];
    }

    public double max() {
        return sorted[sorted.length - 1];
    }

    /** The middle value, or the mean of the two middle values of an even count. */
    public double median() {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
