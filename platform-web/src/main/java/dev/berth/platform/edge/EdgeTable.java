package dev.berth.platform.edge;

import dev.berth.agent.protocol.EdgeAssignment;
import dev.berth.agent.protocol.EdgeRoute;
import dev.berth.platform.deployments.AppDeployments;
import dev.berth.platform.deployments.AppRevision;
import dev.berth.platform.deployments.AppRevisions;
import dev.berth.platform.deployments.EdgeParts;
import dev.berth.platform.hosts.HostRecords;
import java.util.List;
import java.util.Optional;
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

    public EdgeTable(HostRecords hosts, AppDeployments replicas, AppRevisions revisions) {
        this.hosts = hosts;
        this.replicas = replicas;
        this.revisions = revisions;
    }

    @Override
    public Optional<EdgeAssignment> of(String hostId) {
        if (hosts.edges().stream().noneMatch(e -> e.hostId().equals(hostId))) return Optional.empty();
        return Optional.of(new EdgeAssignment(routes(), List.of(), List.of()));
    }

    /** Every route now, sorted by host and longest path first. */
    public List<EdgeRoute> routes() {
        var live = replicas.live();
        var found = revisions.findAll(live.stream().map(r -> new AppRevisions.Key(r.revision(), r.app())).toList()).found();
        var lines = live.stream().map(r -> new EdgeRoutes.Live(r.team(), r.app(), r.qualifiedApp(), r.revision(), r.hostId(),
                r.container(), r.serving(), Optional.ofNullable(found.get(new AppRevisions.Key(r.revision(), r.app()))).map(AppRevision::definition)))
                .toList();
        return EdgeRoutes.of(lines, hosts.reported(), (team, definition) -> Optional.empty());
    }
}
