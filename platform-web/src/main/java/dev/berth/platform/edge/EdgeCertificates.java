package dev.berth.platform.edge;

import dev.berth.agent.protocol.AcmeChallenge;
import dev.berth.agent.protocol.EdgeCertificate;
import dev.berth.agent.protocol.EdgeRoute;
import dev.berth.platform.certificates.AppRoutes;
import dev.berth.platform.certificates.CertificateManager;
import dev.berth.platform.certificates.EdgeAddresses;
import dev.berth.platform.certificates.EdgeReadiness;
import dev.berth.platform.certificates.RouteOwners;
import dev.berth.platform.certificates.RoutedHosts;
import dev.berth.platform.domains.AppsDomain;
import dev.berth.platform.hosts.HostRecords;
import dev.berth.platform.repositories.RouteClaims;
import java.net.InetAddress;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * What route certificates need from the edges, and what the edges get of them: the routed hosts
 * to order for, an app's hosts for uploads, the edges' addresses for the DNS check, whether every
 * edge serves a challenge yet; and each edge's certificates, sealed to its agent's key.
 *
 * <p>A key is sealed anew only when the certificate or the agent's key changed: sealing is
 * randomised, and an edge reloads its proxy whenever its assignment's edge part differs.
 */
@Component
public class EdgeCertificates implements RoutedHosts, AppRoutes, RouteOwners, EdgeAddresses, EdgeReadiness {
    private final EdgeTable table;
    private final HostRecords hosts;
    private final RouteClaims claims;
    private final AppsDomain appsDomain;
    private final CertificateManager manager;
    private final EdgeWatch watch;
    /** Sealed certificates by the agent key and the chain they were sealed for. */
    private final Map<String, EdgeCertificate> sealed = new ConcurrentHashMap<>();

    EdgeCertificates(EdgeTable table, HostRecords hosts, RouteClaims claims, AppsDomain appsDomain,
                     CertificateManager manager, @Lazy EdgeWatch watch) {
        this.table = table;
        this.hosts = hosts;
        this.claims = claims;
        this.appsDomain = appsDomain;
        this.manager = manager;
        this.watch = watch;
    }

    @Override
    public Set<String> hosts() {
        return table.routes().stream().map(EdgeRoute::host).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The apps ({@code team/app}) with a route for {@code host} now. */
    @Override
    public Set<String> appsRouting(String host) {
        return table.routes().stream().filter(r -> r.host().equals(host)).map(EdgeRoute::app)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The hosts berth.yaml claims for the app, and its default host under the apps domain. */
    @Override
    public Set<String> hosts(String team, String app) {
        var out = new LinkedHashSet<String>();
        claims.ofTeam(team).stream().filter(c -> c.app().equals(app)).forEach(c -> out.add(c.host()));
        appsDomain.defaultHost(team, app).ifPresent(out::add);
        return out;
    }

    @Override
    public Set<InetAddress> addresses() {
        return hosts.edges().stream().map(e -> InetAddress.ofLiteral(e.address())).collect(Collectors.toSet());
    }

    /**
     * Whether every edge that is not lost serves the challenge: the edges' generations are moved
     * for it first (now, not at the next look), then each must have applied its generation.
     */
    @Override
    public boolean serving(AcmeChallenge challenge) {
        watch.lookNow();
        var edges = hosts.edges().stream().filter(e -> !e.lost()).toList();
        return !edges.isEmpty() && edges.stream().allMatch(e -> e.appliedGeneration() >= e.generation());
    }

    /** The certificates of the routed hosts, sealed to {@code agentKey}. */
    List<EdgeCertificate> forEdge(PublicKey agentKey, Set<String> routed) {
        String agent = HexFormat.of().formatHex(agentKey.getEncoded()) + " ";
        var out = manager.forEdge(agentKey, routed::contains, served -> sealed.get(agent + served.fingerprint()));
        // Only what this agent's assignment holds now stays cached for it.
        sealed.keySet().removeIf(k -> k.startsWith(agent));
        out.forEach((served, certificate) -> sealed.put(agent + served.fingerprint(), certificate));
        return List.copyOf(out.values());
    }

    /** What the edges serve of certificates and challenges, for {@link EdgeWatch}'s digest: no keys. */
    String digestInput(Set<String> routed) {
        var out = new StringBuilder();
        manager.served().stream().filter(s -> routed.contains(s.host())).sorted(java.util.Comparator.comparing(CertificateManager.Served::host))
                .forEach(s -> out.append("certificate ").append(s.host()).append(' ').append(s.fingerprint()).append('\n'));
        manager.openChallenges().forEach(c -> out.append("challenge ").append(c.host()).append(' ').append(c.token()).append('\n'));
        return out.toString();
    }

    /** Orders what the routed hosts lack, soon, in the background. */
    void orderSoon() {
        manager.ensureSoon();
    }

    /** The open challenges. */
    List<AcmeChallenge> challenges() {
        return manager.openChallenges();
    }
}
