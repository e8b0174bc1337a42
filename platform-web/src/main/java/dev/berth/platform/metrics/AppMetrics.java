package dev.berth.platform.metrics;

import java.time.Instant;
import java.util.List;

/**
 * An app's resource use over a window: the sum over its replicas and each replica's own, bucket by
 * bucket ({@code timestamps} are the buckets' starts).
 *
 * @param step seconds per bucket
 * @param resolution seconds between the stored samples the buckets were made from (10, 60 or 600)
 */
public record AppMetrics(String team, String app, Instant from, Instant to, long step, long resolution,
                         List<Instant> timestamps, MetricSeries total, List<Replica> replicas) {

    /** One replica's series: those of every replica that has samples in the window, stopped ones included. */
    public record Replica(String replica, MetricSeries series) {
    }
}
