package dev.berth.platform.apps;

import dev.berth.platform.deployments.AgentNames;
import dev.berth.platform.deployments.AppDeployments;
import dev.berth.platform.deployments.AppRevisions;
import dev.berth.platform.deployments.Deployment;
import dev.berth.platform.deployments.Deployments;
import dev.berth.platform.deployments.ReplicaRow;
import dev.berth.platform.egress.EgressAllowLookup;
import dev.berth.gitsync.definition.Network;
import dev.berth.platform.hosts.HostService;
import dev.berth.platform.hosts.HostRecords;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.secrets.AppSecrets;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.teams.TeamLookup;
import java.time.Clock;
import java.time.Instant;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.platform.certificates.CertificateManager;
import dev.berth.platform.certificates.CertificateState;
import dev.berth.platform.domains.AppsDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * A team's apps for the API and the dashboard: the list, one app's detail with its differences,
 * its deployment timeline, a replica's isolation report, and rollback. One call per view or action;
 * every method checks the caller's role in the team.
 */
@Service
public class AppService {
    private final TeamLookup teams;
    private final AppDeployments deployments;
    private final AppRevisions revisions;
    private final HostRecords hosts;
    private final HostService hostService;
    private final AppSecrets secrets;
    private final Deployments rollbacks;
    private final EgressAllowLookup egress;
    private final RefusalStore refusals;
    private final Clock clock;
    private final AppsDomain appsDomain;
    private final CertificateManager certificates;

    public AppService(TeamLookup teams, AppDeployments deployments, AppRevisions revisions, HostRecords hosts,
                      HostService hostService, AppSecrets secrets, Deployments rollbacks, EgressAllowLookup egress,
                      RefusalStore refusals, Clock clock, AppsDomain appsDomain, CertificateManager certificates) {
        this.appsDomain = appsDomain;
        this.certificates = certificates;
        this.egress = egress;
        this.refusals = refusals;
        this.teams = teams;
        this.deployments = deployments;
        this.revisions = revisions;
        this.hosts = hosts;
        this.hostService = hostService;
        this.secrets = secrets;
        this.rollbacks = rollbacks;
        this.clock = clock;
    }

    /**
     * The team's apps, by name; an app whose removal finished is no longer listed. A fixed number of
     * queries however many apps and replicas the team has: its newest deployments, its live replicas
     * and their hosts' names (what hosts reported is not needed here), and revisions not read before.
     */
    public List<AppSummary> list(Caller caller, String team) {
        AccessPolicy.require(caller, Permission.VIEW_APPS, team);
        long teamId = teamId(team);
        var live = deployments.liveOfTeam(teamId);
        var hostnames = hosts.findAll(live.stream().map(ReplicaRow::hostId).collect(Collectors.toSet()));
        var byApp = live.stream().collect(Collectors.groupingBy(ReplicaRow::app));
        var shown = deployments.newestOfTeam(teamId).stream()
                .filter(d -> !(d.kind() == Deployment.Kind.REMOVE && d.state() == Deployment.State.SUCCEEDED)).toList();
        var defined = revisions.findAll(shown.stream().map(d -> new AppRevisions.Key(d.revision(), d.app())).toList()).found();
        var out = new ArrayList<AppSummary>();
        for (var d : shown) {
            var mine = byApp.getOrDefault(d.app(), List.of());
            int healthy = (int) mine.stream().filter(r -> r.revision() == d.revision() && r.state().name().equals("HEALTHY")).count();
            var definition = defined.get(new AppRevisions.Key(d.revision(), d.app()));
            int desired = d.kind() == Deployment.Kind.REMOVE || definition == null ? 0 : definition.definition().replicas();
            out.add(new AppSummary(d.app(), d.revision(), d.commit(), healthy, desired,
                    mine.stream().map(r -> hostname(hostnames, r.hostId())).distinct().sorted().toList(), d));
        }
        return out;
    }

    /** One app: its revision, newest deployment, replicas and the differences between what should run and what does. */
    public AppDetail get(Caller caller, String team, String app) {
        AccessPolicy.require(caller, Permission.VIEW_APPS, team);
        long teamId = teamId(team);
        var d = newest(teamId, team, app);
        boolean removed = d.kind() == Deployment.Kind.REMOVE;
        List<String> missing = removed ? List.of() : revisions.find(d.revision(), app)
                .map(a -> secrets.missing(teamId, app, a.definition().secrets())).orElse(List.of());
        var live = replicaViews(deployments.liveOf(teamId, app));
        var wanted = new Differences.Wanted(team, app, d.revision(), desired(d), removed, d, missing);
        var failedStart = removed ? null : deployments.lastFailedStart(teamId, app, d.revision())
                .map(r -> new Differences.FailedStart(r.id(), hosts.find(r.hostId()).map(HostRecords.Seen::hostname).orElse(r.hostId()),
                        r.startError(), r.startFailedAt()))
                .orElse(null);
        var routes = removed ? List.<AppRoute>of() : revisions.find(d.revision(), app).map(a -> routes(team, a.definition()))
                .orElse(List.of());
        return new AppDetail(team, app, d.revision(), d.commit(), desired(d), d, live, missing,
                Differences.of(wanted, live, failedStart, clock.instant()), routes);
    }

    /** The definition's routes and its default host, each with where its host's certificate stands. */
    private List<AppRoute> routes(String team, AppDefinition definition) {
        record Named(String host, String path, String port, boolean byDefault) {
        }
        var named = new ArrayList<Named>();
        definition.routes().forEach(r -> named.add(new Named(r.host(), r.path(), r.port(), false)));
        appsDomain.defaultRoute(team, definition)
                .filter(d -> named.stream().noneMatch(n -> n.host().equals(d.host()) && n.path().equals("/")))
                .ifPresent(d -> named.add(new Named(d.host(), "/", d.port(), true)));
        var states = certificates.states(named.stream().map(Named::host).distinct().toList()).stream()
                .collect(Collectors.toMap(CertificateState::host, s -> s));
        return named.stream().map(n -> new AppRoute(n.host(), n.path(), n.port(), n.byDefault(), states.get(n.host()))).toList();
    }

    /**
     * What the app's current revision declares it may reach, the team's allowed private ranges, and
     * what the firewalls refused its containers (at most {@link RefusalRecorder#PER_APP} destinations).
     */
    public AppNetwork network(Caller caller, String team, String app) {
        AccessPolicy.require(caller, Permission.VIEW_APPS, team);
        long teamId = teamId(team);
        var d = newest(teamId, team, app);
        var declared = d.kind() == Deployment.Kind.REMOVE ? Network.NONE
                : revisions.find(d.revision(), app).map(a -> a.definition().network()).orElse(Network.NONE);
        return AppNetwork.of(team, app, d.revision(), declared, egress.textOf(teamId),
                refusals.totals(AgentNames.app(team, app), RefusalRecorder.PER_APP));
    }

    /** The app's deployments, newest first. */
    public List<Deployment> deployments(Caller caller, String team, String app, int limit) {
        AccessPolicy.require(caller, Permission.VIEW_APPS, team);
        long teamId = teamId(team);
        var timeline = deployments.timeline(teamId, app, Math.clamp(limit, 1, 500));
        if (timeline.isEmpty()) throw notFound(team, app);
        return timeline;
    }

    /** What the replica's host measured on its live process: each check, expected against seen. */
    public IsolationView isolation(Caller caller, String team, String app, String replicaId) {
        AccessPolicy.require(caller, Permission.VIEW_APPS, team);
        long teamId = teamId(team);
        var replica = deployments.replica(teamId, app, replicaId).orElseThrow(() -> new Problem.NotFound(
                "replica '" + replicaId + "' of " + team + "/" + app + " not found"));
        var host = hosts.find(replica.hostId()).orElseThrow();
        var reported = replica.stopRequestedAt() == null ? hosts.containersNamed(List.of(host.id()), List.of(replica.container()))
                .getOrDefault(host.id(), Map.of()).get(replica.container()) : null;
        var checks = reported == null ? List.<dev.berth.agent.protocol.IsolationCheck>of() : reported.status().isolation();
        return new IsolationView(replica.id(), host.id(), host.hostname(), reported == null ? null : reported.reportedAt(),
                !checks.isEmpty() && checks.stream().allMatch(dev.berth.agent.protocol.IsolationCheck::passed), checks);
    }

    /** Rolls the app back to {@code revision}; see {@link Deployments#rollback}. */
    public Deployment rollback(Caller caller, String team, String app, Long revision, String reason, RequestOrigin origin) {
        return rollbacks.rollback(caller, team, app, revision, reason, origin);
    }

    private Deployment newest(long teamId, String team, String app) {
        return deployments.newest(teamId, app).orElseThrow(() -> notFound(team, app));
    }

    private int desired(Deployment d) {
        if (d.kind() == Deployment.Kind.REMOVE) return 0;
        return revisions.find(d.revision(), d.app()).map(a -> a.definition().replicas()).orElse(0);
    }

    private static String hostname(Map<String, HostRecords.Seen> hosts, String hostId) {
        var host = hosts.get(hostId);
        return host == null ? hostId : host.hostname();
    }

    /** Replica rows joined with their hosts and what those last reported of them: two queries. */
    private List<ReplicaView> replicaViews(List<ReplicaRow> rows) {
        Instant now = clock.instant();
        var hostIds = rows.stream().map(ReplicaRow::hostId).collect(Collectors.toSet());
        var hostRows = hosts.findAll(hostIds);
        var reports = hosts.containersNamed(hostIds, rows.stream().map(ReplicaRow::container).toList());
        var out = new ArrayList<ReplicaView>();
        for (var r : rows) {
            var host = hostRows.get(r.hostId());
            if (host == null) throw new IllegalStateException("replica " + r.id() + " names unknown host " + r.hostId());
            var report = reports.getOrDefault(r.hostId(), Map.of()).get(r.container());
            var status = report == null ? null : report.status();
            out.add(new ReplicaView(r.id(), r.container(), host.id(), host.hostname(),
                    hostService.alive(host.lastHeartbeatAt(), now), r.revision(), r.state().name(), r.since(),
                    status == null ? null : status.state(), status == null ? null : status.health(),
                    status == null ? List.of() : status.published(), status == null ? 0 : status.restarts(),
                    status == null ? null : status.exitCode(), status != null && status.oomKilled(), r.createdAt(),
                    report == null ? null : report.reportedAt(), r.serving(),
                    status == null || !"failed".equals(status.state()) ? null : status.error()));
        }
        return out;
    }

    private long teamId(String team) {
        return teams.idOf(team);
    }

    private static Problem.NotFound notFound(String team, String app) {
        return new Problem.NotFound("app '" + app + "' not found in team '" + team + "'");
    }
}
