package dev.berth.platform.metrics;

import dev.berth.platform.hosts.HeartbeatRecorded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Stores the resource samples a heartbeat carries, in its transaction and in one statement
 * whatever the number of containers: with 200 hosts of 50 containers each, that is 20 statements a
 * second at the default 10-second interval, not 1,000. Samples that fail {@link SampleCheck} are
 * dropped and counted ({@code berth.app.metrics.samples.refused}); containers that are not
 * replicas on the reporting host are left out by the statement itself. A bad sample does not
 * refuse the heartbeat: the host's containers' states matter more than one of their samples.
 */
@Component
class SampleRecorder {
    private static final System.Logger LOG = System.getLogger(SampleRecorder.class.getName());
    private final ReplicaMetricStore store;
    private final Counter refused;
    /** Host and container pairs already warned about: once each, not every 10 seconds. */
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    SampleRecorder(ReplicaMetricStore store, MeterRegistry meters) {
        this.store = store;
        this.refused = Counter.builder("berth.app.metrics.samples.refused")
                .description("Container resource samples from heartbeats dropped as out of range").register(meters);
    }

    /** Runs inside the heartbeat's transaction. */
    @EventListener
    public void onHeartbeat(HeartbeatRecorded heartbeat) {
        var samples = new ArrayList<ReplicaMetricStore.Reported>();
        for (var c : heartbeat.containers()) {
            var m = c.metrics();
            if (m == null) continue;
            String refusal = SampleCheck.refusal(m);
            if (refusal != null) {
                refused.increment();
                if (warned.size() < 10_000 && warned.add(heartbeat.hostId() + "/" + c.name())) {
                    LOG.log(System.Logger.Level.WARNING, "host " + heartbeat.hostId() + " reported a resource sample of container '"
                            + c.name() + "' that is dropped: " + refusal);
                }
                continue;
            }
            samples.add(new ReplicaMetricStore.Reported(c.name(), m.cpuNanos(), m.memoryBytes(), m.memoryLimitBytes(),
                    m.pids(), m.rxBytes(), m.txBytes(), c.restarts()));
        }
        store.record(heartbeat.hostId(), heartbeat.at(), samples);
    }
}
