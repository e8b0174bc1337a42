package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.Heartbeat;
import dev.berth.agent.protocol.HostCapacity;
import dev.berth.agent.protocol.RefusedDestination;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the agents' firewalls refused an app's containers reaches {@code GET .../network}: summed
 * over its replicas on every host, the latest time, a hint; heartbeats that repeat the same counts
 * (or grown ones) replace what was reported rather than adding to it.
 */
class AppRefusalsTest extends DeployTest {
    private static final Instant FIRST = Instant.parse("2026-12-05T10:00:00.123456789Z");
    private static final Instant LATER = Instant.parse("2026-12-05T10:05:00Z");

    @Test
    void refusalsShowOncePerDestinationWithTheLatestCountsOfEveryReplica() throws Exception {
        var a = agent("a");
        var b = agent("b");
        onlyTheseHostsAlive(a, b);
        String team = team();
        push(team, """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    replicas: 2
                    egress: none
                """.formatted(image));
        eventually(() -> assertThat(state(team, "web")).isEqualTo("succeeded"));
        String path = "/api/v1/teams/" + team + "/apps/web/network";
        assertThat(admin.get(path).json().get("refused")).isEmpty();

        String agentApp = AgentNames.app(team, "web");
        for (var sim : List.of(a, b)) {
            sim.refuse(agentApp, List.of(new RefusedDestination("203.0.113.9", "tcp", 5432, 5, FIRST),
                    new RefusedDestination("10.30.0.5", "udp", 53, 1, FIRST)));
        }
        eventually(() -> {
            var refused = list(admin.get(path).json().get("refused"));
            assertThat(refused).hasSize(2);
            var pg = refused.stream().filter(r -> r.get("port").asInt() == 5432).findFirst().orElseThrow();
            assertThat(pg.get("destination").asString()).isEqualTo("203.0.113.9");
            assertThat(pg.get("protocol").asString()).isEqualTo("tcp");
            assertThat(pg.get("count").asLong()).isEqualTo(10);
            assertThat(pg.get("lastSeen").asString()).isEqualTo("2026-12-05T10:00:00.123456Z");
            assertThat(pg.get("hint").asString()).isEqualTo("egress is none: declare egress: public or list it under egressTo");
            var dns = refused.stream().filter(r -> r.get("port").asInt() == 53).findFirst().orElseThrow();
            assertThat(dns.get("count").asLong()).isEqualTo(2);
            assertThat(dns.get("hint").asString()).startsWith("DNS goes only to the resolvers in its /etc/resolv.conf");
        });

        // The replicas of one host count more; the others' stay: the sum of the latest, not of every report.
        var grows = a.containers().values().stream().anyMatch(c -> c.spec().app().equals(agentApp)) ? a : b;
        long onIt = grows.containers().values().stream().filter(c -> c.spec().app().equals(agentApp)).count();
        long expected = 12 * onIt + 5 * (2 - onIt);
        grows.refuse(agentApp, List.of(new RefusedDestination("203.0.113.9", "tcp", 5432, 12, LATER),
                new RefusedDestination("10.30.0.5", "udp", 53, 1, FIRST)));
        eventually(() -> {
            var pg = list(admin.get(path).json().get("refused")).getFirst();
            assertThat(pg.get("port").asInt()).isEqualTo(5432);
            assertThat(pg.get("count").asLong()).isEqualTo(expected);
            assertThat(pg.get("lastSeen").asString()).isEqualTo("2026-12-05T10:05:00Z");
        });
        int beats = grows.heartbeats() + 3;
        eventually(() -> assertThat(grows.heartbeats()).isGreaterThanOrEqualTo(beats));
        var settled = list(admin.get(path).json().get("refused"));
        assertThat(settled).hasSize(2);
        assertThat(settled.getFirst().get("count").asLong()).isEqualTo(expected);
        assertThat(jdbc.sql("SELECT count(*) FROM app_refusals WHERE agent_app = ?").param(agentApp).query(Long.class).single())
                .isEqualTo(4);
        retire(team);
    }

    @Test
    void aHeartbeatWithMalformedRefusalsIsRefusedNamingTheContainer() {
        var a = agent("a");
        var bad = new ContainerStatus("web-1", "t.web", "running", null, false, null)
                .withRefused(List.of(new RefusedDestination("db.internal", "tcp", 5432, 1, FIRST)), 0);
        var r = a.api().post("/agent/v1/heartbeat", new Heartbeat(Heartbeat.VERSION,
                new HostCapacity(SimulatedAgent.MEMORY, SimulatedAgent.CPU), List.of(bad), null));
        expect(400, r);
        assertThat(r.json().get("detail").asString()).startsWith("container 'web-1': every refused destination needs an IP address");
        var many = new ContainerStatus("web-2", "t.web", "running", null, false, null).withRefused(
                java.util.stream.IntStream.range(0, ContainerStatus.MAX_REFUSED + 1)
                        .mapToObj(i -> new RefusedDestination("203.0.113." + i, "tcp", 80, 1, FIRST)).toList(), 0);
        var tooMany = a.api().post("/agent/v1/heartbeat", new Heartbeat(Heartbeat.VERSION,
                new HostCapacity(SimulatedAgent.MEMORY, SimulatedAgent.CPU), List.of(many), null));
        expect(400, tooMany);
        assertThat(tooMany.json().get("detail").asString()).isEqualTo("container 'web-2': at most 50 refused destinations, not 51");
    }
}
