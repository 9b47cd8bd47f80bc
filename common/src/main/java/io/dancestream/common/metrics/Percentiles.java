package io.dancestream.common.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * The one percentile definition of the project's reports and benchmarks: nearest-rank, the
 * smallest sample that at least {@code q} of the samples are at or below (index
 * {@code ceil(q * n) - 1} of the sorted samples), so a p99 is always a value that was measured.
 * Exact over the few hundred to few thousand samples a run keeps; Prometheus histograms
 * ({@link DanceMetrics}) serve the live percentiles. Empty input gives NaN.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /** {@code q} in 0..1; {@code values} is left as it is. */
    public static double of(long[] values, double q) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v[index(v.length, q)];
    }

    public static double of(List<Long> values, double q) {
        return of(values.stream().mapToLong(Long::longValue).toArray(), q);
    }

    public static double of(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v[index(v.length, q)];
    }

    public static double median(long[] values) {
        return of(values, 0.5);
    }

    private static int index(int n, double q) {
        return Math.max(0, Math.min(n - 1, (int) Math.ceil(q * n) - 1));
    }
}
