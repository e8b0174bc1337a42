package dev.berth.platform.apps.ui;

import dev.berth.platform.metrics.AppMetrics;
import dev.berth.platform.metrics.MetricSeries;
import dev.berth.platform.traffic.EdgeTraffic;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The charts of the Metrics panel: what each shows of an app's series (summed over its replicas),
 * in which unit, under which names. Requests come from the edges' recent rates instead
 * ({@link #requests}). Pure.
 */
enum MetricChart {
    CPU("cpu", "CPU", ChartUnit.CORES, List.of("used"), s -> List.of(s.cpuCores())),
    MEMORY("memory", "Memory", ChartUnit.BYTES, List.of("used", "limit"),
            s -> List.of(s.memoryBytes(), s.memoryLimitBytes())),
    NETWORK("network", "Network", ChartUnit.BYTES_PER_SECOND, List.of("received", "sent"),
            s -> List.of(s.rxBytesPerSecond(), s.txBytesPerSecond())),
    RESTARTS("restarts", "Restarts", ChartUnit.COUNT, List.of("restarts"), s -> List.of(s.restarts())),
    REQUESTS("requests", "Requests through the edges, last 5 minutes", ChartUnit.PER_SECOND,
            List.of("requests", "5xx"), null);

    private final String id;
    private final String title;
    private final ChartUnit unit;
    private final List<String> labels;
    private final Function<MetricSeries, List<? extends List<? extends Number>>> columns;

    MetricChart(String id, String title, ChartUnit unit, List<String> labels,
                Function<MetricSeries, List<? extends List<? extends Number>>> columns) {
        this.id = id;
        this.title = title;
        this.unit = unit;
        this.labels = labels;
        this.columns = columns;
    }

    String id() {
        return id;
    }

    String title() {
        return title;
    }

    ChartUnit unit() {
        return unit;
    }

    List<String> labels() {
        return labels;
    }

    /** Whether the chart shows the app's stored samples (all but {@link #REQUESTS}). */
    boolean fromSamples() {
        return columns != null;
    }

    /** The chart's points out of the app's totals. */
    ChartData of(AppMetrics metrics) {
        if (columns == null) throw new IllegalStateException(this + " does not chart stored samples");
        return ChartData.of(metrics.timestamps(), columns.apply(metrics.total()));
    }

    /** The requests chart's points out of the edges' recent rates. */
    static ChartData requests(EdgeTraffic.Recent recent) {
        var times = recent.points().stream().map(EdgeTraffic.Point::start).toList();
        var requests = new ArrayList<Double>();
        var errors = new ArrayList<Double>();
        recent.points().forEach(p -> {
            requests.add(p.requestsPerSecond());
            errors.add(p.serverErrorsPerSecond());
        });
        return ChartData.of(times, List.of(requests, errors));
    }

    /** The newest value of each series, named: {@code used 3.2 MiB · limit 64.0 MiB}; a dash for none. */
    String latest(ChartData data) {
        var parts = new ArrayList<String>();
        for (int i = 0; i < labels.size(); i++) {
            var v = data.latest(i);
            parts.add(labels.get(i) + " " + (v == null ? "–" : unit.format(v.doubleValue())));
        }
        return String.join(" · ", parts);
    }
}
