package dev.berth.platform.traffic;

import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.hosts.EdgeTrafficReported;
import dev.berth.platform.logs.KnownApps;
import dev.berth.platform.problem.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * What the edges served, per team and app, from the running totals in their heartbeats: Micrometer
 * counters ({@code berth_edge_requests_total}, {@code berth_edge_server_errors_total} and
 * {@code berth_edge_response_bytes_total}, tagged {@code team} and {@code app}, at
 * {@code /actuator/prometheus}) and the request and 5xx rates of the last minutes for the app's
 * page. Both live in this instance's memory and grow by what the heartbeats it takes add since the
 * previous heartbeat of the same edge it took ({@link TrafficTotals}); with several instances each
 * counts the part it saw, so their counters add up to the whole, and each one's rates lag by the
 * heartbeats the others took. Only apps that exist get counters, so an edge cannot make up names.
 */
@Service
public class EdgeTraffic {
    private static final int MAX_NOT_APPS = 10_000;
    private final KnownApps apps;
    private final Clock clock;
    private final MeterRegistry meters;
    private final TrafficTotals totals = new TrafficTotals();
    private final TrafficWindow window = new TrafficWindow();
    private final Map<String, Counter[]> counters = new HashMap<>();
    private final Set<String> known = new HashSet<>();
    /** Reported names that are no app, and when that was found, so they are not looked up at every heartbeat. */
    private final Map<String, Instant> notApps = new HashMap<>();

    public EdgeTraffic(KnownApps apps, Clock clock, ObjectProvider<MeterRegistry> meters) {
        this.apps = apps;
        this.clock = clock;
        this.meters = meters.getIfAvailable();
    }

    /** The rate of requests and of 5xx answers per second over a window. */
    public record Rate(long windowSeconds, double requestsPerSecond, double serverErrorsPerSecond) {
    }

    /** The app's rates over the last minute and the last five, as this instance's heartbeats saw them; empty before any. */
    public record Rates(String team, String app, List<Rate> rates) {
    }

    /** Requests and 5xx answers per second in one 10-second bucket starting at {@code start}. */
    public record Point(Instant start, double requestsPerSecond, double serverErrorsPerSecond) {
    }

    /** The app's rates bucket by bucket over the last minutes, as this instance's heartbeats saw them; empty before any. */
    public record Recent(String team, String app, long bucketSeconds, List<Point> points) {
    }

    @EventListener
    public synchronized void reported(EdgeTrafficReported report) {
        var existing = report.traffic().stream().filter(t -> exists(t.app(), report.at())).toList();
        existing.forEach(t -> window.heard(t.app(), report.at()));
        for (var added : totals.report(report.hostId(), existing)) {
            var c = counters.computeIfAbsent(added.app(), this::register);
            if (c != null) {
                c[0].increment(added.requests());
                c[1].increment(added.serverErrors());
                c[2].increment(added.bytes());
            }
            window.add(added.app(), report.at(), added.requests(), added.serverErrors());
        }
        window.prune(report.at());
    }

    /** The app's request and 5xx rates (team VIEWER and up). */
    public Rates rates(Caller caller, String team, String app) {
        AccessPolicy.require(caller, Permission.VIEW_APPS, team);
        if (!apps.exists(team, app)) throw new Problem.NotFound("app '" + app + "' not found in team '" + team + "'");
        List<TrafficWindow.Rate> rates;
        synchronized (this) {
            rates = window.rates(team + "/" + app, clock.instant());
        }
        return new Rates(team, app, rates.stream()
                .map(r -> new Rate(r.window().toSeconds(), r.requestsPerSecond(), r.serverErrorsPerSecond())).toList());
    }

    /** The app's request and 5xx rates per 10-second bucket of the last five minutes (team VIEWER and up). */
    public Recent recent(Caller caller, String team, String app) {
        AccessPolicy.require(caller, Permission.VIEW_APPS, team);
        if (!apps.exists(team, app)) throw new Problem.NotFound("app '" + app + "' not found in team '" + team + "'");
        List<TrafficWindow.Bucket> buckets;
        synchronized (this) {
            buckets = window.series(team + "/" + app, clock.instant());
        }
        double seconds = TrafficWindow.BUCKET.toSeconds();
        return new Recent(team, app, TrafficWindow.BUCKET.toSeconds(), buckets.stream()
                .map(b -> new Point(b.start(), b.requests() / seconds, b.serverErrors() / seconds)).toList());
    }

    private boolean exists(String teamApp, Instant now) {
        if (known.contains(teamApp)) return true;
        var refused = notApps.get(teamApp);
        if (refused != null && refused.isAfter(now.minus(TrafficWindow.BUCKET.multipliedBy(6)))) return false;
        int slash = teamApp.indexOf('/');
        if (apps.exists(teamApp.substring(0, slash), teamApp.substring(slash + 1))) {
            notApps.remove(teamApp);
            known.add(teamApp);
            return true;
        }
        if (notApps.size() >= MAX_NOT_APPS) notApps.clear();
        notApps.put(teamApp, now);
        return false;
    }

    private Counter[] register(String teamApp) {
        if (meters == null) return null;
        int slash = teamApp.indexOf('/');
        String team = teamApp.substring(0, slash);
        String app = teamApp.substring(slash + 1);
        return new Counter[] {
                counter("berth.edge.requests", "requests the edges answered for the app", team, app),
                counter("berth.edge.server.errors", "of those, answers with a 5xx status", team, app),
                counter("berth.edge.response.bytes", "response body bytes the edges sent for the app", team, app)};
    }

    private Counter counter(String name, String description, String team, String app) {
        return Counter.builder(name).description(description).tag("team", team).tag("app", app).register(meters);
    }
}
