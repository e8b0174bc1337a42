package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.Deploy;
import dev.berth.gitsync.definition.Network;
import dev.berth.gitsync.definition.Port;
import dev.berth.gitsync.definition.Resources;
import dev.berth.registry.network.Cidr;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The network checks of a push, on definitions as the parser gives them, against what the team has. */
class NetworkReviewTest {
    private static final NetworkReview.Team ACME = new NetworkReview.Team("acme",
            List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("fd00:1::/64")),
            Map.of("db", List.of(new Port("pg", 5432, false), new Port("metrics", 9187, false)), "queue", List.of()));

    private static AppDefinition app(String name, List<Port> ports, Network network) {
        return new AppDefinition(name, "busybox", List.of(), Map.of(), List.of(), 1, null, Resources.DEFAULT, ports, null,
                List.of(), List.of(), List.of(), Deploy.DEFAULT, network);
    }

    private static Network egressTo(String cidr, int port) {
        return new Network(Network.Egress.NONE, List.of(new Network.EgressDestination(cidr, port, 7, 9)), List.of());
    }

    private static Network connects(String app, String port) {
        return new Network(Network.Egress.NONE, List.of(), List.of(new Network.Connect(app, port, 5432, 8, 11)));
    }

    private static List<String> problems(AppDefinition... apps) {
        return NetworkReview.problems("berth.yaml", new Definition("berth/v1", List.of(apps)), ACME);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("inside an allowed range, any port", egressTo("10.20.0.5/32", 5432)),
                Arguments.of("an allowed range itself, every port", egressTo("10.20.0.0/16", 0)),
                Arguments.of("inside an allowed IPv6 range", egressTo("fd00:1::5/128", 443)),
                Arguments.of("a public range needs no allowance", egressTo("203.0.113.0/24", 443)),
                Arguments.of("a public IPv6 range", egressTo("2606:4700::/32", 0)),
                Arguments.of("an app of another repository of the team, by a port it declares", connects("db", "pg")),
                Arguments.of("nothing declared", Network.NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void accepted(String name, Network network) {
        assertThat(problems(app("web", List.of(), network))).isEmpty();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("a private range outside the allowed ones", egressTo("10.30.0.5/32", 5432),
                        "berth.yaml:7:9: app 'web': egressTo 10.30.0.5/32:5432 is not allowed for team acme: it is not a public range"
                                + " and none of the team's allowed ranges holds it; a platform admin can allow it under Teams → acme → Network"),
                Arguments.of("wider than the allowed range", egressTo("10.0.0.0/8", 0),
                        "berth.yaml:7:9: app 'web': egressTo 10.0.0.0/8 is not allowed for team acme"),
                Arguments.of("public bounds around a private range", egressTo("8.0.0.0/5", 443),
                        "berth.yaml:7:9: app 'web': egressTo 8.0.0.0/5:443 is not allowed for team acme"),
                Arguments.of("an IPv6 range with a port, written as berth.yaml writes it", egressTo("fd00:2::/64", 443),
                        "berth.yaml:7:9: app 'web': egressTo [fd00:2::/64]:443 is not allowed for team acme"),
                Arguments.of("link-local: the metadata service", egressTo("169.254.169.254/32", 80),
                        "egressTo 169.254.169.254/32:80 is not allowed for team acme"),
                Arguments.of("an IPv4 private range spelled through 6to4", egressTo("2002:a14::/32", 0),
                        "egressTo 2002:a14::/32 is not allowed"),
                Arguments.of("an app the team does not have", connects("cache", "redis"),
                        "berth.yaml:8:11: app 'web': connects to app 'cache', but team acme has no app 'cache'"
                                + " (connects reaches only apps of the same team)"),
                Arguments.of("a port the target does not declare", connects("db", "postgres"),
                        "berth.yaml:8:11: app 'web': app 'db' has no port named 'postgres'; it declares 'pg', 'metrics'"),
                Arguments.of("a target without ports", connects("queue", "amqp"),
                        "berth.yaml:8:11: app 'web': app 'queue' has no port named 'amqp'; it declares no ports"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused(String name, Network network, String message) {
        assertThat(problems(app("web", List.of(), network))).singleElement().asString().contains(message);
    }

    @Test
    void appsOfThisFileCountWithTheirPortsEvenWhenElsewhereSaysOtherwise() {
        // db is redefined here: its ports after this push are this file's.
        var db = app("db", List.of(new Port("sql", 5432, false)), Network.NONE);
        assertThat(problems(app("web", List.of(), connects("db", "sql")), db)).isEmpty();
        assertThat(problems(app("web", List.of(), connects("db", "pg")), db)).singleElement().asString()
                .endsWith("app 'db' has no port named 'pg'; it declares 'sql'");
        assertThat(problems(app("web", List.of(), connects("api", "http")), app("api", List.of(new Port("http", 80, true)), Network.NONE)))
                .isEmpty();
    }

    @Test
    void onlyAppsDefinedElsewhereAreLookedUpAndEveryWrongEntryIsReported() {
        var web = app("web", List.of(), new Network(Network.Egress.PUBLIC,
                List.of(new Network.EgressDestination("192.168.1.0/24", 0, 5, 9), new Network.EgressDestination("10.20.1.0/24", 0, 6, 9)),
                List.of(new Network.Connect("api", "http", 8080, 8, 11), new Network.Connect("db", "pg", 5432, 9, 11),
                        new Network.Connect("other-team-app", "http", 8081, 10, 11))));
        var api = app("api", List.of(new Port("http", 80, false)), Network.NONE);
        var definition = new Definition("berth/v1", List.of(web, api));
        assertThat(NetworkReview.connectedElsewhere(definition)).containsExactly("db", "other-team-app");
        assertThat(NetworkReview.declaresNetwork(definition)).isTrue();
        assertThat(NetworkReview.declaresNetwork(new Definition("berth/v1", List.of(api)))).isFalse();
        assertThat(NetworkReview.problems("berth.yaml", definition, ACME)).hasSize(2)
                .first().asString().startsWith("berth.yaml:5:9: app 'web': egressTo 192.168.1.0/24 is not allowed");
    }
}
