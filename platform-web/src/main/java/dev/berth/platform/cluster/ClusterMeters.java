package dev.berth.platform.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The cluster channel's counters, exported as {@code berth_cluster_notices_sent_total},
 * {@code berth_cluster_notices_received_total} (from other instances) and
 * {@code berth_cluster_reconnects_total}.
 */
@Component
public class ClusterMeters {
    final Counter sent;
    final Counter received;
    final Counter reconnects;

    public ClusterMeters(ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        sent = Counter.builder("berth.cluster.notices.sent").description("notices this instance sent to the others").register(registry);
        received = Counter.builder("berth.cluster.notices.received").description("notices received from other instances").register(registry);
        reconnects = Counter.builder("berth.cluster.reconnects").description("times the listening connection was opened again").register(registry);
    }

    /** Notices this instance sent. */
    public double sent() {
        return sent.count();
    }

    /** Times the listening connection was opened again after it failed. */
    public double reconnects() {
        return reconnects.count();
    }

    /** Notices received from other instances. */
    public double received() {
        return received.count();
    }
}
