package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ConnectGrant;
import dev.berth.agent.protocol.ConnectTarget;
import dev.berth.deployer.Replica.State;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Network;
import dev.berth.gitsync.definition.Port;
import dev.berth.gitsync.definition.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Connects and grants of a host's assignment, and which hosts a change moves: team acme, app web connects to db's pg. */
class ConnectsTest {
    static final Instant T = Instant.parse("2025-06-01T12:00:00Z");
    /** Revision 1: db serves pg on 5432; revision 2 on 6432; web (any revision) connects to db's pg at 5432. */
    static final Map<Long, AppDefinition> DB = Map.of(1L, app("db", 5432, List.of()), 2L, app("db", 6432, List.of()));
    static final AppDefinition WEB = app("web", 8080, List.of(new Network.Connect("db", "pg", 5432, 3, 7)));

    static AppDefinition app(String name, int port, List<Network.Connect> connects) {
        return new AppDefinition(name, "busybox:1", List.of(), Map.of(), List.of(), 1, null, Resources.DEFAULT,
                List.of(new Port(name.equals("db") ? "pg" : "http", port, false)), null, List.of(), List.of(), List.of(), null,
                new Network(Network.Egress.NONE, List.of(), connects));
    }

    static ReplicaRow row(String app, long revision, String host, int n, boolean serving) {
        String id = "acme-" + app + "-" + revision + "-" + n;
        return new ReplicaRow(id, id, 1, "acme", app, revision, 1, host, T, null, null, State.HEALTHY, T, T, serving, null, null);
    }

    static Optional<AppDefinition> definition(ReplicaRow r) {
        return Optional.ofNullable(r.app().equals("db") ? DB.get(r.revision()) : r.app().equals("web") ? WEB : null);
    }

    static final Map<String, String> PEERS = Map.of("h-b", "203.0.113.12:7443");

    static ConnectTarget.Backend backend(String host, String container, int port) {
        return new ConnectTarget.Backend(host, container, port, PEERS.get(host));
    }

    record TargetCase(String name, String host, List<ReplicaRow> team, List<ConnectTarget> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<TargetCase> targetCases() {
        var web = row("web", 1, "h-a", 1, true);
        return Stream.of(
                new TargetCase("replicas in traffic on any host, each with its revision's port and its host's peer address", "h-a",
                        List.of(web, row("db", 1, "h-a", 1, true), row("db", 2, "h-b", 2, true)),
                        List.of(new ConnectTarget("acme.db", "pg", List.of(backend("h-a", "acme-db-1-1", 5432),
                                backend("h-b", "acme-db-2-2", 6432))))),
                new TargetCase("a replica held out of traffic is no backend", "h-a",
                        List.of(web, row("db", 1, "h-a", 1, true), row("db", 2, "h-b", 2, false)),
                        List.of(new ConnectTarget("acme.db", "pg", List.of(backend("h-a", "acme-db-1-1", 5432))))),
                new TargetCase("nothing serves: the target is listed with no backend", "h-a",
                        List.of(web, row("db", 2, "h-b", 2, false)),
                        List.of(new ConnectTarget("acme.db", "pg", List.of()))),
                new TargetCase("two consumers on the host share one target", "h-a",
                        List.of(web, row("web", 1, "h-a", 2, true), row("db", 1, "h-b", 1, true)),
                        List.of(new ConnectTarget("acme.db", "pg", List.of(backend("h-b", "acme-db-1-1", 5432))))),
                new TargetCase("a host without consumers connects to nothing", "h-b",
                        List.of(web, row("db", 1, "h-b", 1, true)), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targetCases")
    void targets(TargetCase c) {
        assertThat(Connects.targets(c.host(), c.team(), ConnectsTest::definition, PEERS)).isEqualTo(c.expected());
    }

    record GrantCase(String name, String host, List<ReplicaRow> team, List<ConnectGrant> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<GrantCase> grantCases() {
        return Stream.of(
                new GrantCase("the producer's host lets every host of the consumer in", "h-b",
                        List.of(row("web", 1, "h-c", 1, true), row("web", 1, "h-a", 2, true), row("db", 1, "h-b", 1, true)),
                        List.of(new ConnectGrant("acme.db", "pg", "acme.web", List.of("h-a", "h-c"), Map.of("acme-db-1-1", 5432)))),
                new GrantCase("a held-out producer replica is granted too: it may serve after the switch", "h-b",
                        List.of(row("web", 1, "h-a", 1, true), row("db", 2, "h-b", 1, false)),
                        List.of(new ConnectGrant("acme.db", "pg", "acme.web", List.of("h-a"), Map.of("acme-db-2-1", 6432)))),
                new GrantCase("each replica of the host with the number its own revision gives the port", "h-b",
                        List.of(row("web", 1, "h-a", 1, true), row("db", 1, "h-b", 1, true), row("db", 2, "h-b", 2, true),
                                row("db", 2, "h-a", 3, true)),
                        List.of(new ConnectGrant("acme.db", "pg", "acme.web", List.of("h-a"),
                                Map.of("acme-db-1-1", 5432, "acme-db-2-2", 6432)))),
                new GrantCase("a host without the producer grants nothing", "h-a",
                        List.of(row("web", 1, "h-a", 1, true), row("db", 1, "h-b", 1, true)), List.of()),
                new GrantCase("no consumer, no grant", "h-b", List.of(row("db", 1, "h-b", 1, true)), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grantCases")
    void grants(GrantCase c) {
        assertThat(Connects.grants(c.host(), c.team(), ConnectsTest::definition)).isEqualTo(c.expected());
    }

    record BumpCase(String name, Set<String> changed, List<Connects.Line> live, Set<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Connects.Line line(String app, String host, String... connectsTo) {
        return new Connects.Line(app, host, Set.of(connectsTo));
    }

    static Stream<BumpCase> bumpCases() {
        var live = List.of(line("acme/web", "h-a", "acme/db"), line("acme/db", "h-b"), line("acme/db", "h-c"),
                line("acme/other", "h-d"), line("zeta/db", "h-e"));
        return Stream.of(
                new BumpCase("a producer changes: its consumers' hosts", Set.of("acme/db"), live, Set.of("h-a")),
                new BumpCase("a consumer changes: its producers' hosts (their grants)", Set.of("acme/web"), live, Set.of("h-b", "h-c")),
                new BumpCase("an app nobody connects to, connecting to nothing: none", Set.of("acme/other"), live, Set.of()),
                new BumpCase("another team's app of the same name: none", Set.of("zeta/db"), live, Set.of()),
                new BumpCase("a consumer's new revision connects to a new producer: the producer's hosts",
                        Set.of("acme/web"), List.of(line("acme/web", "h-a"), line("acme/web", "h-f", "acme/other"),
                                line("acme/other", "h-d")), Set.of("h-d")),
                new BumpCase("nothing changed", Set.of(), live, Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bumpCases")
    void hostsToBump(BumpCase c) {
        assertThat(Connects.hostsToBump(c.changed(), c.live())).isEqualTo(c.expected());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("consumerCases")
    void consumersOf(Set<String> producers, Set<String> expected) {
        var live = List.of(line("acme/web", "h-a", "acme/db"), line("acme/api", "h-c", "acme/db", "acme/cache"),
                line("acme/db", "h-b"));
        assertThat(Connects.consumersOf(producers, live)).isEqualTo(expected);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> consumerCases() {
        return Stream.of(org.junit.jupiter.params.provider.Arguments.of(Set.of("acme/db"), Set.of("h-a", "h-c")),
                org.junit.jupiter.params.provider.Arguments.of(Set.of("acme/cache"), Set.of("h-c")),
                org.junit.jupiter.params.provider.Arguments.of(Set.of("acme/web"), Set.of()));
    }
}
