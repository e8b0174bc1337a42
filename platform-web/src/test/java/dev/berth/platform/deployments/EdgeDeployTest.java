package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.EdgeRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Routes through real pushes, rounds, heartbeats and long polls: an edge host hears every route
 * with the published addresses where its app serves, follows rollouts, and stops serving an app
 * removed from berth.yaml; a host that is no edge hears nothing of them.
 */
class EdgeDeployTest extends DeployTest {
    private String routed(String team, int replicas, String version, String strategy) {
        return web(replicas, version, "routes: [{host: shop." + team + ".example.com, port: http}, "
                + "{host: shop." + team + ".example.com, port: http, path: /api}]\n    deploy: {strategy: " + strategy + "}");
    }

    private List<EdgeRoute> routesOf(SimulatedAgent edge, String team) {
        var last = edge.received().getLast();
        assertThat(last.edge()).as("the edge part of %s's assignment", edge.hostname).isNotNull();
        return last.edge().routes().stream().filter(r -> r.app().equals(team + "/web")).toList();
    }

    /** The published addresses of the app's replicas that serve, as the hosts report them. */
    private List<String> servingAddresses(List<SimulatedAgent> hosts, String team) {
        return hosts.stream().flatMap(h -> h.reported().stream())
                .filter(c -> c.app().equals(team + ".web"))
                .flatMap(c -> c.published().stream()).filter(p -> p.serving()).map(p -> p.address()).distinct().sorted().toList();
    }

    @Test
    void theEdgeFollowsRoutesAndTheReplicasThatServeThem() throws Exception {
        var edge = agent("edge");
        var worker = agent("worker");
        onlyTheseHostsAlive(edge, worker);
        edge.edge("127.0.0.1");
        // The edge reaches its own replicas on loopback and the worker's at the worker's address (never connected to here).
        worker.publishAt("203.0.113.21");
        String team = team();
        expect(200, admin.put("/api/v1/teams/" + team + "/domains", Map.of("domains", List.of("*." + team + ".example.com"))));
        try {
            long first = push(team, routed(team, 2, "\"1\"", "rolling"));
            succeededAt(team, "web", first);
            eventually(() -> {
                var routes = routesOf(edge, team);
                assertThat(routes).extracting(EdgeRoute::path).containsExactly("/api", "/");
                assertThat(routes).allSatisfy(r -> {
                    assertThat(r.host()).isEqualTo("shop." + team + ".example.com");
                    assertThat(r.upstreams()).isNotEmpty().containsExactlyElementsOf(servingAddresses(List.of(edge, worker), team));
                });
                assertThat(worker.received().getLast().edge()).isNull();
            });
            // The hosts list says which host is an edge, where, and that it serves the newest routes.
            eventually(() -> {
                var hosts = list(admin.get("/api/v1/hosts").json());
                var shown = hosts.stream().filter(h -> h.get("id").asString().equals(edge.hostId)).findFirst().orElseThrow();
                assertThat(shown.get("edge").get("address").asString()).isEqualTo("127.0.0.1");
                assertThat(shown.get("edge").get("current").asBoolean()).isTrue();
                assertThat(hosts.stream().filter(h -> h.get("id").asString().equals(worker.hostId)).findFirst().orElseThrow()
                        .get("edge").isNull()).isTrue();
            });

            // A blue-green rollout: the edge's upstreams are those that serve, never none.
            int before = edge.received().size();
            long second = push(team, routed(team, 2, "\"2\"", "blue-green"));
            succeededAt(team, "web", second);
            eventually(() -> assertThat(routesOf(edge, team)).allSatisfy(r ->
                    assertThat(r.upstreams()).isNotEmpty().containsExactlyElementsOf(servingAddresses(List.of(edge, worker), team))));
            assertThat(edge.received().subList(before, edge.received().size())).allSatisfy(a -> {
                if (a.edge() == null) return;
                a.edge().routes().stream().filter(r -> r.app().equals(team + "/web"))
                        .forEach(r -> assertThat(r.upstreams()).as("generation %d", a.generation()).isNotEmpty());
            });

            // The app leaves berth.yaml: its routes leave the edge.
            retire(team);
            eventually(() -> assertThat(routesOf(edge, team)).isEmpty());

            // A host that stops being an edge gets assignments without an edge part.
            edge.edge(null);
            eventually(() -> assertThat(edge.received().getLast().edge()).isNull());
        } finally {
            retire(team);
        }
    }
}
