package dev.berth.platform.metrics;

import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.deployments.AppDeployments;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.teams.TeamLookup;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;

/** Reads an app's resource history for the API; checks the caller's role in the team itself. */
@Service
public class AppMetricsService {
    /** The most stored samples one query reads (about 1,000 points for 200 replicas). */
    static final long MAX_SAMPLES = 200_000;
    private final TeamLookup teams;
    private final AppDeployments deployments;
    private final ReplicaMetricStore store;
    private final Clock clock;

    AppMetricsService(TeamLookup teams, AppDeployments deployments, ReplicaMetricStore store, Clock clock) {
        this.teams = teams;
        this.deployments = deployments;
        this.store = store;
        this.clock = clock;
    }

    /**
     * The app's series over {@code from/to/step} (see {@link MetricsQuery#parse}); 404 for an app the
     * team never deployed, 400 for a query that is malformed or would read too many samples.
     */
    public AppMetrics read(Caller caller, String team, String app, String from, String to, String step) {
        AccessPolicy.require(caller, Permission.VIEW_APPS, team);
        Instant now = clock.instant();
        var query = MetricsQuery.parse(from, to, step, now);
        long teamId = teams.idOf(team);
        if (deployments.newest(teamId, app).isEmpty()) {
            throw new Problem.NotFound("app '" + app + "' not found in team '" + team + "'");
        }
        var resolution = Resolution.forQuery(query.from(), query.step(), now);
        // One slot before the window: the base of the first bucket's increases.
        Instant readFrom = query.from().minus(resolution.size());
        long count = store.count(teamId, app, resolution, readFrom, query.to());
        if (count > MAX_SAMPLES) {
            throw new Problem.Invalid("the window holds " + count + " samples of the app's replicas, more than the "
                    + MAX_SAMPLES + " one query reads: use a shorter window");
        }
        var byReplica = new LinkedHashMap<String, List<ReplicaSample>>();
        for (var s : store.samples(teamId, app, resolution, readFrom, query.to())) {
            byReplica.computeIfAbsent(s.replicaId(), k -> new ArrayList<>()).add(s);
        }
        var replicas = new ArrayList<AppMetrics.Replica>();
        byReplica.forEach((id, samples) ->
                replicas.add(new AppMetrics.Replica(id, SeriesBuilder.replica(query, resolution.size(), samples))));
        var total = SeriesBuilder.total(query.count(), replicas.stream().map(AppMetrics.Replica::series).toList());
        var timestamps = IntStream.range(0, query.count()).mapToObj(query::start).toList();
        return new AppMetrics(team, app, query.from(), query.to(), query.step().toSeconds(), resolution.seconds(),
                timestamps, total, replicas);
    }
}
