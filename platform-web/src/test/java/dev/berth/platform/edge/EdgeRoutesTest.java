package dev.berth.platform.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.EdgeRoute;
import dev.berth.agent.protocol.PublishedPort;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Network;
import dev.berth.gitsync.definition.Port;
import dev.berth.gitsync.definition.Resources;
import dev.berth.gitsync.definition.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class EdgeRoutesTest {
    private static final BiFunction<String, AppDefinition, Optional<EdgeRoutes.Default>> NO_DEFAULTS = (t, d) -> Optional.empty();
    private static final EdgeRoutes.Ownership OWNED = (id, team, app, host) -> true;

    private static AppDefinition web(int port, List<Route> routes) {
        return new AppDefinition("web", "busybox:1", List.of(), Map.of(), List.of(), 1, null, Resources.DEFAULT,
                List.of(new Port("http", port, true), new Port("admin", 9090, true)), null, List.of(), List.of(), List.of(), null,
                Network.NONE, routes);
    }

    private static Route route(String host, String port, String path) {
        return new Route(host, port, path, 1, 1);
    }

    private static EdgeRoutes.Live replica(String app, long revision, String host, String container, AppDefinition definition) {
        return new EdgeRoutes.Live(1, "acme", app, "acme/" + app, revision, host, container, true, Optional.ofNullable(definition));
    }

    /** Host id → container → the published ports it reports. */
    private final Map<String, Map<String, ContainerStatus>> reported = new HashMap<>();

    /** A container that reports itself starting (not healthy yet), with its ports. */
    private void reports(String host, String container, PublishedPort... ports) {
        reports(host, container, "starting", ports);
    }

    private void reports(String host, String container, String health, PublishedPort... ports) {
        reported.computeIfAbsent(host, h -> new HashMap<>()).put(container,
                new ContainerStatus(container, "acme.web", "running", null, false, health, 0, List.of(ports), List.of()));
    }

    @Test
    void aRouteGoesToEveryHostWhereAReplicaServesItsPortLongestPathFirst() {
        var v1 = web(8080, List.of(route("shop.example.com", "http", "/"), route("shop.example.com", "admin", "/admin"),
                route("a.example.com", "http", "/")));
        reports("h1", "w1", new PublishedPort(8080, "10.0.0.1:20001", true), new PublishedPort(9090, "10.0.0.1:20002", true));
        reports("h1", "w2", new PublishedPort(8080, "10.0.0.1:20001", true), new PublishedPort(9090, "10.0.0.1:20002", false));
        reports("h2", "w3", new PublishedPort(8080, "10.0.0.2:20001", false), new PublishedPort(9090, "10.0.0.2:20002", true));

        var routes = EdgeRoutes.of(List.of(replica("web", 1, "h1", "w1", v1), replica("web", 1, "h1", "w2", v1),
                replica("web", 1, "h2", "w3", v1)), reported, NO_DEFAULTS, OWNED);

        assertThat(routes).containsExactly(
                new EdgeRoute("a.example.com", "/", "acme/web", List.of("10.0.0.1:20001")),
                new EdgeRoute("shop.example.com", "/admin", "acme/web", List.of("10.0.0.1:20002", "10.0.0.2:20002")),
                new EdgeRoute("shop.example.com", "/", "acme/web", List.of("10.0.0.1:20001")));
    }

    @Test
    void theNewestRevisionNamesTheRoutesAndEveryRevisionThatServesTakesTraffic() {
        var v1 = web(8080, List.of(route("old.example.com", "http", "/")));
        var v2 = web(8081, List.of(route("new.example.com", "http", "/")));
        reports("h1", "old", new PublishedPort(8080, "10.0.0.1:20001", true));
        reports("h2", "new", new PublishedPort(8081, "10.0.0.2:20005", true));
        reports("h2", "new-starting", new PublishedPort(8081, "10.0.0.2:20005", false));

        var routes = EdgeRoutes.of(List.of(replica("web", 1, "h1", "old", v1), replica("web", 2, "h2", "new", v2),
                replica("web", 2, "h2", "new-starting", v2)), reported, NO_DEFAULTS, OWNED);

        // Each replica's own revision says which number the port name has.
        assertThat(routes).containsExactly(new EdgeRoute("new.example.com", "/", "acme/web", List.of("10.0.0.1:20001", "10.0.0.2:20005")));
    }

    @Test
    void aHealthyReplicaLetInServesBeforeItsHostSaysSo() {
        var v1 = web(8080, List.of(route("shop.example.com", "http", "/")));
        reports("h1", "green", "healthy", new PublishedPort(8080, "10.0.0.1:20001", false));
        reports("h2", "held", "healthy", new PublishedPort(8080, "10.0.0.2:20001", false));
        reports("h3", "sick", "unhealthy", new PublishedPort(8080, "10.0.0.3:20001", false));
        var held = new EdgeRoutes.Live(1, "acme", "web", "acme/web", 1, "h2", "held", false, Optional.of(v1));

        assertThat(EdgeRoutes.of(List.of(replica("web", 1, "h1", "green", v1), held, replica("web", 1, "h3", "sick", v1)),
                reported, NO_DEFAULTS, OWNED)).containsExactly(new EdgeRoute("shop.example.com", "/", "acme/web", List.of("10.0.0.1:20001")));
    }

    @Test
    void aHostTheTeamNoLongerHoldsIsNotServed() {
        var v1 = web(8080, List.of(route("kept.example.com", "http", "/"), route("taken.example.org", "http", "/")));
        assertThat(EdgeRoutes.of(List.of(replica("web", 1, "h1", "w1", v1)), reported, NO_DEFAULTS,
                (id, team, app, host) -> host.endsWith(".example.com")))
                .containsExactly(new EdgeRoute("kept.example.com", "/", "acme/web", List.of()));
    }

    @Test
    void anEdgeIsPointedAtLoopbackOnlyOnItsOwnHostAndNeverAtLinkLocalAddresses() {
        var v1 = web(8080, List.of(route("shop.example.com", "http", "/")));
        reports("h1", "w1", new PublishedPort(8080, "127.0.0.1:20001", true));
        reports("h2", "w2", new PublishedPort(8080, "127.0.0.1:20002", true));
        reports("h3", "w3", new PublishedPort(8080, "169.254.169.254:80", true));
        reports("h4", "w4", new PublishedPort(8080, "[fe80::1]:80", true));
        reports("h5", "w5", new PublishedPort(8080, "0.0.0.0:80", true));
        reports("h6", "w6", new PublishedPort(8080, "203.0.113.6:20001", true));
        reports("h7", "w7", new PublishedPort(8080, "worker-7.example.com:20001", true));
        var live = List.of(replica("web", 1, "h1", "w1", v1), replica("web", 1, "h2", "w2", v1), replica("web", 1, "h3", "w3", v1),
                replica("web", 1, "h4", "w4", v1), replica("web", 1, "h5", "w5", v1), replica("web", 1, "h6", "w6", v1),
                replica("web", 1, "h7", "w7", v1));

        assertThat(EdgeRoutes.of(live, reported, NO_DEFAULTS, OWNED, "h1").getFirst().upstreams())
                .containsExactly("127.0.0.1:20001", "203.0.113.6:20001", "worker-7.example.com:20001");
        assertThat(EdgeRoutes.of(live, reported, NO_DEFAULTS, OWNED, "h6").getFirst().upstreams())
                .containsExactly("203.0.113.6:20001", "worker-7.example.com:20001");
    }

    @Test
    void nothingServesYetOrNothingIsKnownOfTheRevision() {
        var v1 = web(8080, List.of(route("shop.example.com", "http", "/")));
        // Placed but not reported yet: routed, with no upstream (the edge answers 503).
        assertThat(EdgeRoutes.of(List.of(replica("web", 1, "h1", "w1", v1)), reported, NO_DEFAULTS, OWNED))
                .containsExactly(new EdgeRoute("shop.example.com", "/", "acme/web", List.of()));
        // A revision that cannot be read routes nothing.
        assertThat(EdgeRoutes.of(List.of(replica("web", 1, "h1", "w1", null)), reported, NO_DEFAULTS, OWNED)).isEmpty();
        assertThat(EdgeRoutes.of(List.of(), reported, NO_DEFAULTS, OWNED)).isEmpty();
    }

    @Test
    void theDefaultHostIsAddedAndAHostAndPathStaysWithTheFirstApp() {
        var web = web(8080, List.of(route("shop.example.com", "http", "/")));
        var api = new AppDefinition("api", "busybox:1", List.of(), Map.of(), List.of(), 1, null, Resources.DEFAULT,
                List.of(new Port("http", 7000, true)), null, List.of(), List.of(), List.of(), null, Network.NONE,
                List.of(route("shop.example.com", "http", "/")));
        reports("h1", "w1", new PublishedPort(8080, "10.0.0.1:20001", true));

        var routes = EdgeRoutes.of(List.of(replica("web", 1, "h1", "w1", web), replica("api", 1, "h1", "a1", api)), reported,
                (team, d) -> Optional.of(new EdgeRoutes.Default(d.name() + "." + team + ".apps.example.com", "http")), OWNED);

        assertThat(routes).containsExactly(
                new EdgeRoute("api.acme.apps.example.com", "/", "acme/api", List.of()),
                new EdgeRoute("shop.example.com", "/", "acme/api", List.of()),
                new EdgeRoute("web.acme.apps.example.com", "/", "acme/web", List.of("10.0.0.1:20001")));
    }
}
