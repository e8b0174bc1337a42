package dev.berth.platform.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Per-app series on {@code /actuator/prometheus}, read from the database every
 * {@code berth.app-metrics.gauge-refresh} on each instance (all instances export the same values):
 * {@code berth_app_replicas{team,app,state}}, {@code berth_container_cpu_seconds_total},
 * {@code berth_container_memory_bytes}, {@code berth_container_memory_limit_bytes},
 * {@code berth_container_pids}, {@code berth_container_network_receive_bytes_total},
 * {@code berth_container_network_transmit_bytes_total} and {@code berth_container_restarts}, each
 * {@code {team,app}}: sums over the app's live replicas. Bounded by {@link ExportedApps}; an app's
 * series go away when it has no live replica.
 */
@Component
public class AppMeters {
    private static final System.Logger LOG = System.getLogger(AppMeters.class.getName());
    private static final Duration NEWEST_WITHIN = Duration.ofMinutes(1);
    private final MeterRegistry meters;
    private final ReplicaMetricStore store;
    private final AppMetricsProperties properties;
    private final Clock clock;
    private final Map<Meter.Id, Meter> registered = new HashMap<>();
    private volatile ExportedApps current = new ExportedApps(Map.of(), Map.of(), 0);
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("app-meters").daemon().unstarted(r));

    AppMeters(MeterRegistry meters, ReplicaMetricStore store, AppMetricsProperties properties, Clock clock) {
        this.meters = meters;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        Gauge.builder("berth.app.metrics.apps.dropped", () -> current.dropped())
                .description("Apps with live replicas left out of the per-app series by berth.app-metrics.max-apps")
                .register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        long every = properties.gaugeRefresh().toMillis();
        timer.scheduleWithFixedDelay(this::refreshQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // the database is away: the last values stay until it is back
            LOG.log(System.Logger.Level.DEBUG, "app meters could not be read: " + e.getMessage());
        }
    }

    /** Reads the values now and registers or removes series to match (also what the periodic refresh does). */
    public synchronized void refresh() {
        current = ExportedApps.of(store.liveReplicaCounts(), store.latestOfLiveReplicas(clock.instant().minus(NEWEST_WITHIN)),
                properties.maxApps());
        var wanted = new HashSet<Meter.Id>();
        for (var app : current.replicas().keySet()) {
            Tags tags = Tags.of("team", app.team(), "app", app.app());
            for (String state : ExportedApps.STATES) {
                wanted.add(gauge("berth.app.replicas", "Live replicas of the app by observed state", tags.and("state", state),
                        a -> a.replicas().getOrDefault(app, Map.of()).getOrDefault(state, 0L)));
            }
            wanted.add(counter("berth.container.cpu.seconds", "CPU time used by the app's live replicas", tags,
                    a -> usage(a, app).cpuSeconds()));
            wanted.add(gauge("berth.container.memory.bytes", "Memory in use by the app's live replicas", tags,
                    a -> usage(a, app).memoryBytes()));
            wanted.add(gauge("berth.container.memory.limit.bytes", "Memory limits of the app's live replicas", tags,
                    a -> usage(a, app).memoryLimitBytes()));
            wanted.add(gauge("berth.container.pids", "Processes of the app's live replicas", tags,
                    a -> usage(a, app).pids()));
            wanted.add(counter("berth.container.network.receive.bytes", "Bytes received by the app's live replicas", tags,
                    a -> usage(a, app).rxBytes()));
            wanted.add(counter("berth.container.network.transmit.bytes", "Bytes sent by the app's live replicas", tags,
                    a -> usage(a, app).txBytes()));
            wanted.add(gauge("berth.container.restarts", "Restarts of the app's live replicas by their agents", tags,
                    a -> usage(a, app).restarts()));
        }
        for (var it = registered.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (wanted.contains(e.getKey())) continue;
            meters.remove(e.getValue());
            it.remove();
        }
    }

    private static ExportedApps.Usage usage(ExportedApps a, ExportedApps.AppKey app) {
        return a.usage().getOrDefault(app, ExportedApps.NONE);
    }

    private Meter.Id gauge(String name, String description, Tags tags, ToDoubleFunction<ExportedApps> value) {
        var probe = Gauge.builder(name, this, m -> value.applyAsDouble(m.current)).description(description).tags(tags);
        return keep(probe.register(meters));
    }

    private Meter.Id counter(String name, String description, Tags tags, ToDoubleFunction<ExportedApps> value) {
        var probe = FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.current)).description(description).tags(tags);
        return keep(probe.register(meters));
    }

    private Meter.Id keep(Meter meter) {
        registered.putIfAbsent(meter.getId(), meter);
        return meter.getId();
    }
}
