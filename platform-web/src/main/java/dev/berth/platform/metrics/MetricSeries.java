package dev.berth.platform.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One series per measure over a query's buckets; an element is null where there was no sample.
 * Rates are per second over the time the samples cover within the bucket.
 *
 * @param cpuCores CPU used, in cores (1.0 is one core busy)
 * @param memoryBytes the largest memory in use seen in the bucket (for a total: the sum of each replica's largest)
 * @param memoryLimitBytes the memory limit last seen (for a total: the sum over replicas with one)
 * @param pids the most processes seen
 * @param rxBytesPerSecond bytes received per second
 * @param txBytesPerSecond bytes sent per second
 * @param restarts restarts of the container so far, as its agent counts them (for a total: summed)
 */
public record MetricSeries(List<Double> cpuCores, List<Long> memoryBytes, List<Long> memoryLimitBytes, List<Long> pids,
                           List<Double> rxBytesPerSecond, List<Double> txBytesPerSecond, List<Long> restarts) {

    static List<Double> doubles(Double[] values) {
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    static List<Long> longs(Long[] values) {
        return Collections.unmodifiableList(Arrays.asList(values));
    }
}
