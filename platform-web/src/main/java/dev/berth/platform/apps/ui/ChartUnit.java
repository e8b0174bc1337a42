package dev.berth.platform.apps.ui;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * What a chart's values measure, and how they read: the chart's axis formats them the same way in
 * the browser ({@link MetricsChart}, by this constant's name). Pure.
 */
enum ChartUnit {
    /** CPU time per second: 1 is one core busy. */
    CORES,
    BYTES,
    BYTES_PER_SECOND,
    COUNT,
    PER_SECOND;

    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB"};

    /** The value as a person reads it: {@code 0.0123 cores}, {@code 3.2 MiB}, {@code 1.5 KiB/s}, {@code 4}, {@code 0.50/s}. */
    String format(double value) {
        return switch (this) {
            case CORES -> significant(value) + " cores";
            case BYTES -> bytes(value);
            case BYTES_PER_SECOND -> bytes(value) + "/s";
            case COUNT -> Long.toString(Math.round(value));
            case PER_SECOND -> String.format(Locale.ROOT, "%.2f/s", value);
        };
    }

    /** Three significant digits, so an idle app's small share of a core does not read as 0. */
    private static String significant(double value) {
        if (value == 0) return "0";
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static String bytes(double value) {
        int unit = 0;
        double v = value;
        while (Math.abs(v) >= 1024 && unit < BINARY.length - 1) {
            v /= 1024;
            unit++;
        }
        return unit == 0 ? Math.round(v) + " B" : String.format(Locale.ROOT, "%.1f %s", v, BINARY[unit]);
    }
}
