package dev.berth.platform.metrics;

import java.time.Duration;
import java.util.List;

/**
 * Turns a replica's stored samples into series over a query's buckets, and sums series over
 * replicas. Pure.
 *
 * <p>A counter's increase between two consecutive samples counts in the bucket of the later one; a
 * decrease is a new run of the container, whose counter started again at zero, so the later value
 * is the increase (as Prometheus treats counter resets). Samples further apart than
 * {@link #MAX_GAP_SLOTS} slots of their resolution are not joined: the replica was not reporting.
 */
public final class SeriesBuilder {
    static final int MAX_GAP_SLOTS = 3;

    private SeriesBuilder() {
    }

    /**
     * @param samples one replica's samples at {@code resolution}, oldest first; those before the
     *                query's start serve only as the base of the first increase
     */
    public static MetricSeries replica(MetricsQuery query, Duration resolution, List<ReplicaSample> samples) {
        int n = query.count();
        var cpu = new double[n];
        var rx = new double[n];
        var tx = new double[n];
        var covered = new double[n];
        var memory = new Long[n];
        var limit = new Long[n];
        var pids = new Long[n];
        var restarts = new Long[n];
        long maxGap = resolution.toSeconds() * MAX_GAP_SLOTS;
        ReplicaSample previous = null;
        for (var s : samples) {
            int b = query.bucketOf(s.at());
            if (b >= 0) {
                memory[b] = memory[b] == null ? s.memoryBytes() : Math.max(memory[b], s.memoryBytes());
                limit[b] = s.memoryLimitBytes();
                pids[b] = pids[b] == null ? s.pids() : Math.max(pids[b], s.pids());
                restarts[b] = restarts[b] == null ? s.restarts() : Math.max(restarts[b], s.restarts());
                if (previous != null) {
                    long gap = Duration.between(previous.at(), s.at()).toSeconds();
                    if (gap > 0 && gap <= maxGap) {
                        cpu[b] += increase(previous.cpuNanos(), s.cpuNanos());
                        rx[b] += increase(previous.rxBytes(), s.rxBytes());
                        tx[b] += increase(previous.txBytes(), s.txBytes());
                        covered[b] += gap;
                    }
                }
            }
            previous = s;
        }
        var cpuCores = new Double[n];
        var rxRate = new Double[n];
        var txRate = new Double[n];
        for (int i = 0; i < n; i++) {
            if (covered[i] == 0) continue;
            cpuCores[i] = cpu[i] / 1e9 / covered[i];
            rxRate[i] = rx[i] / covered[i];
            txRate[i] = tx[i] / covered[i];
        }
        return new MetricSeries(MetricSeries.doubles(cpuCores), MetricSeries.longs(memory), MetricSeries.longs(limit),
                MetricSeries.longs(pids), MetricSeries.doubles(rxRate), MetricSeries.doubles(txRate), MetricSeries.longs(restarts));
    }

    /** The sum of the series bucket by bucket; a bucket where no replica has a value stays null. */
    public static MetricSeries total(int count, List<MetricSeries> replicas) {
        var cpu = new Double[count];
        var memory = new Long[count];
        var limit = new Long[count];
        var pids = new Long[count];
        var rx = new Double[count];
        var tx = new Double[count];
        var restarts = new Long[count];
        for (var r : replicas) {
            for (int i = 0; i < count; i++) {
                cpu[i] = add(cpu[i], r.cpuCores().get(i));
                memory[i] = add(memory[i], r.memoryBytes().get(i));
                limit[i] = add(limit[i], r.memoryLimitBytes().get(i));
                pids[i] = add(pids[i], r.pids().get(i));
                rx[i] = add(rx[i], r.rxBytesPerSecond().get(i));
                tx[i] = add(tx[i], r.txBytesPerSecond().get(i));
                restarts[i] = add(restarts[i], r.restarts().get(i));
            }
        }
        return new MetricSeries(MetricSeries.doubles(cpu), MetricSeries.longs(memory), MetricSeries.longs(limit),
                MetricSeries.longs(pids), MetricSeries.doubles(rx), MetricSeries.doubles(tx), MetricSeries.longs(restarts));
    }

    static long increase(long before, long after) {
        return after >= before ? after - before : after;
    }

    private static Double add(Double sum, Double value) {
        if (value == null) return sum;
        return sum == null ? value : sum + value;
    }

    private static Long add(Long sum, Long value) {
        if (value == null) return sum;
        return sum == null ? value : sum + value; // stored values are bounded (SampleCheck): no overflow
    }
}
