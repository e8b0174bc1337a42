package dev.berth.platform.apps.ui;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One chart's points as uPlot takes them: the x values (epoch seconds) and one list of y values per
 * series, null where there was no sample. Pure.
 *
 * @param times epoch seconds, oldest first
 * @param series each as long as {@code times}
 */
record ChartData(List<Long> times, List<List<Number>> series) {
    /** Significant digits sent to the browser: more than a chart can show, fewer than a double prints. */
    private static final MathContext SENT = new MathContext(6);

    ChartData {
        times = List.copyOf(times);
        var copies = new ArrayList<List<Number>>();
        for (var s : series) {
            if (s.size() != times.size()) {
                throw new IllegalArgumentException("a series has " + s.size() + " values for " + times.size() + " times");
            }
            copies.add(Collections.unmodifiableList(new ArrayList<>(s)));
        }
        series = List.copyOf(copies);
    }

    static ChartData of(List<Instant> times, List<? extends List<? extends Number>> series) {
        var copies = new ArrayList<List<Number>>();
        series.forEach(s -> copies.add(new ArrayList<>(s)));
        return new ChartData(times.stream().map(Instant::getEpochSecond).toList(), copies);
    }

    /** Whether any series has a value at all. */
    boolean hasValues() {
        return series.stream().anyMatch(s -> s.stream().anyMatch(v -> v != null));
    }

    /** The newest value of series {@code index}, or null when it has none. */
    Number latest(int index) {
        var s = series.get(index);
        for (int i = s.size() - 1; i >= 0; i--) {
            if (s.get(i) != null) return s.get(i);
        }
        return null;
    }

    /** The time of the oldest point where any series has a value, or null when none has. */
    Long oldestTime() {
        for (int i = 0; i < times.size(); i++) {
            for (var s : series) {
                if (s.get(i) != null) return times.get(i);
            }
        }
        return null;
    }

    /** The points from {@code time} on. */
    ChartData from(long time) {
        int start = 0;
        while (start < times.size() && times.get(start) < time) start++;
        int from = start;
        return new ChartData(times.subList(from, times.size()), series.stream().map(s -> s.subList(from, s.size())).toList());
    }

    /** The time of the newest point where any series has a value, or null when none has. */
    Long newestTime() {
        for (int i = times.size() - 1; i >= 0; i--) {
            for (var s : series) {
                if (s.get(i) != null) return times.get(i);
            }
        }
        return null;
    }

    /** {@code [[t...], [y...], ...]}: compact, with {@code null} for a missing value. */
    String json() {
        var out = new StringBuilder("[");
        append(out, times);
        for (var s : series) {
            out.append(',');
            append(out, s);
        }
        return out.append(']').toString();
    }

    private static void append(StringBuilder out, List<? extends Number> values) {
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) out.append(',');
            out.append(number(values.get(i)));
        }
        out.append(']');
    }

    private static String number(Number n) {
        if (n == null) return "null";
        if (n instanceof Long || n instanceof Integer) return n.toString();
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) return "null";
        if (d == 0) return "0";
        return new BigDecimal(d).round(SENT).stripTrailingZeros().toPlainString();
    }
}
