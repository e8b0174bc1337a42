package dev.berth.platform;

import java.util.List;

/** The nearest-rank percentile the benchmarks print. */
public final class Percentile {
    private Percentile() {
    }

    /** The {@code p}th percentile of {@code values} by nearest rank; NaN when there are none. */
    public static double of(List<Double> values, int p) {
        if (values.isEmpty()) return Double.NaN;
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
