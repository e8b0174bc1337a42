package dev.berth.platform.edge;

import dev.berth.agent.protocol.EdgeAssignment;
import dev.berth.agent.protocol.EdgeRoute;
import dev.berth.platform.deployments.AppDeployments;
import dev.berth.platform.deployments.AppRevision;
import dev.berth.platform.deployments.AppRevisions;
import dev.berth.platform.deployments.EdgeParts;
import dev.berth.platform.hosts.HostRecords;
import dev.berth.platform.domains.AppsDomain;
import dev.berth.platform.domains.DomainPattern;
import dev.berth.platform.domains.TeamDomainLookup;
import dev.berth.platform.pki.CertificateAuthority;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * What the edges serve: every route with its upstreams ({@link EdgeRoutes}), read from the
 * replicas that are part of assignments and what their hosts report.
 */
@Service
public class EdgeTable implements EdgeParts {
    private final HostRecords hosts;
    private final AppDeployments replicas;
    private final AppRevisions revisions;
    private final AppsDomain appsDomain;
    private final TeamDomainLookup domains;

    private final CertificateAuthority authority;
    private final ObjectProvider<EdgeCertificates> certificates;
    private static final System.Logger LOG = System.getLogger(EdgeTable.class.getName());

    public EdgeTable(HostRecords hosts, AppDeployments replicas, AppRevisions revisions, AppsDomain appsDomain,
                     TeamDomainLookup domains, CertificateAuthority authority, ObjectProvider<EdgeCertificates> certificates) {
        this.hosts = hosts;
        this.authority = authority;
        this.certificates = certificates;
        this.appsDomain = appsDomain;
        this.domains = domains;
        this.replicas = replicas;
        this.revisions = revisions;
    }

    @Override
    public Optional<EdgeAssignment> of(String hostId) {
        if (hosts.edges().stream().noneMatch(e -> e.hostId().equals(hostId))) return Optional.empty();
        var routes = routes(hostId);
        var key = authority.agentKey(hostId);
        if (key.isEmpty()) {
            // An agent that joined before the platform issued certificates: routes and challenges, no certificates.
            LOG.log(System.Logger.Level.WARNING, "edge host " + hostId + " has no certified key; it gets no certificates"
                    + " until its agent renews its certificate");
        }
        var routed = routes.stream().map(EdgeRoute::host).collect(Collectors.toSet());
        var sealing = certificates.getObject();
        return Optional.of(new EdgeAssignment(routes, key.map(k -> sealing.forEdge(k, routed)).orElse(List.of()),
                sealing.challenges()));
    }

    /** Every route now, sorted by host and longest path first, with every host's upstreams (what changed, not what one edge gets). */
    public List<EdgeRoute> routes() {
        return routes(null);
    }

    /** Every route as the edge on {@code edgeHostId} serves it (see {@link EdgeRoutes}); null for every host's upstreams. */
    List<EdgeRoute> routes(String edgeHostId) {
        var live = replicas.live();
        var found = revisions.findAll(live.stream().map(r -> new AppRevisions.Key(r.revision(), r.app())).toList()).found();
        var lines = live.stream().map(r -> new EdgeRoutes.Live(r.teamId(), r.team(), r.app(), r.qualifiedApp(), r.revision(), r.hostId(),
                r.container(), r.serving(), Optional.ofNullable(found.get(new AppRevisions.Key(r.revision(), r.app()))).map(AppRevision::definition)))
                .toList();
        var patterns = new HashMap<Long, List<DomainPattern>>();
        return EdgeRoutes.of(lines, hosts.reported(),
                (team, definition) -> appsDomain.defaultRoute(team, definition).map(d -> new EdgeRoutes.Default(d.host(), d.port())),
                (teamId, team, app, host) -> appsDomain.covers(host) ? appsDomain.problemFor(team, app, host) == null
                        : patterns.computeIfAbsent(teamId, domains::patternsOf).stream().anyMatch(p -> p.matches(host)),
                edgeHostId);
    }
}
