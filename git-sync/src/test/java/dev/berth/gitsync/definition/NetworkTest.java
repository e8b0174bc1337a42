package dev.berth.gitsync.definition;

import static dev.berth.gitsync.definition.DefinitionParserTest.parse;
import static dev.berth.gitsync.definition.DefinitionParserTest.problems;
import static dev.berth.gitsync.definition.RulesTest.HEAD;
import static dev.berth.gitsync.definition.RulesTest.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.gitsync.definition.Network.Connect;
import dev.berth.gitsync.definition.Network.Egress;
import dev.berth.gitsync.definition.Network.EgressDestination;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The keys {@code egress}, {@code egressTo} and {@code connects}. As in {@link RulesTest}, the
 * body of app {@code a} starts at line 5, column 5.
 */
class NetworkTest {
    private static Network network(String yaml) {
        var result = parse(yaml);
        assertThat(result).as(() -> String.valueOf(result)).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).definition().apps().getFirst().network();
    }

    private static Network egressTo(EgressDestination... d) {
        return new Network(Egress.NONE, List.of(d), List.of());
    }

    private static Network connects(Connect... c) {
        return new Network(Egress.NONE, List.of(), List.of(c));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("absent keys", app(""), Network.NONE),
                Arguments.of("egress none", app("egress: none"), Network.NONE),
                Arguments.of("egress public", app("egress: public"), new Network(Egress.PUBLIC, List.of(), List.of())),
                Arguments.of("empty lists", app("egressTo: []\nconnects: []"), Network.NONE),
                Arguments.of("IPv4 address with a port", app("egressTo: [\"10.20.0.5/32:5432\"]"),
                        egressTo(new EgressDestination("10.20.0.5/32", 5432, 5, 16))),
                Arguments.of("IPv4 range, every port", app("egressTo:\n  - 10.30.0.0/16"),
                        egressTo(new EgressDestination("10.30.0.0/16", 0, 6, 9))),
                Arguments.of("IPv6 range in brackets with a port", app("egressTo: [\"[fd00:1::/64]:443\"]"),
                        egressTo(new EgressDestination("fd00:1::/64", 443, 5, 16))),
                Arguments.of("bare IPv6 range", app("egressTo: [\"fd00::/64\"]"),
                        egressTo(new EgressDestination("fd00::/64", 0, 5, 16))),
                Arguments.of("IPv6 written long and in upper case", app("egressTo: [\"FD00:0:0:0:0:0:0:0/8\"]"),
                        egressTo(new EgressDestination("fd00::/8", 0, 5, 16))),
                Arguments.of("IPv6 in brackets without a port", app("egressTo: [\"[2001:db8:0:0:1:0:0:1/128]\"]"),
                        egressTo(new EgressDestination("2001:db8::1:0:0:1/128", 0, 5, 16))),
                Arguments.of("same range, other ports", app("egressTo: [\"10.0.0.0/8:80\", \"10.0.0.0/8:443\", 10.0.0.0/8]"),
                        egressTo(new EgressDestination("10.0.0.0/8", 80, 5, 16), new EgressDestination("10.0.0.0/8", 443, 5, 33),
                                new EgressDestination("10.0.0.0/8", 0, 5, 51))),
                Arguments.of("connect to another repository's app", app("connects: [{app: db, port: pg, local: 5432}]"),
                        connects(new Connect("db", "pg", 5432, 5, 16))),
                Arguments.of("connect in block style", app("connects:\n  - app: db\n    port: pg\n    local: 5432"),
                        connects(new Connect("db", "pg", 5432, 6, 9))),
                Arguments.of("connect to a numeric app name", app("connects: [{app: '2048', port: http, local: 8080}]"),
                        connects(new Connect("2048", "http", 8080, 5, 16))),
                Arguments.of("connect to itself", app("ports: [{name: http, port: 8080}]\n"
                        + "connects: [{app: a, port: http, local: 9090}]"), connects(new Connect("a", "http", 9090, 6, 16))),
                Arguments.of("same app, two ports", app("connects: [{app: db, port: pg, local: 5432}, {app: db, port: admin, local: 8081}]"),
                        connects(new Connect("db", "pg", 5432, 5, 16), new Connect("db", "admin", 8081, 5, 50))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void valid(String name, String yaml, Network expected) {
        assertThat(network(yaml)).isEqualTo(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // egress
                Arguments.of("egress unknown", app("egress: all"), "5:13: egress must be none or public, not 'all'"),
                Arguments.of("egress boolean", app("egress: true"), "5:13: egress must be none or public, not 'true'"),
                Arguments.of("egress upper case", app("egress: Public"), "5:13: egress must be none or public, not 'Public'"),
                Arguments.of("egress empty", app("egress:"), "5:12: egress needs a value: none or public"),
                Arguments.of("egress a list", app("egress: [public]"), "5:13: egress must be none or public, not a list"),
                Arguments.of("misspelt key", app("egres: public"), "5:5: unknown key 'egres'; did you mean 'egress'?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void invalid(String name, String yaml, String expected) {
        assertThat(problems(parse(yaml))).containsExactly(
                expected.lines().map(e -> "berth.yaml:" + e).toArray(String[]::new));
    }

    @Test
    void anAppWithoutNetworkKeysGetsNone() {
        assertThat(network(HEAD)).isEqualTo(Network.NONE);
    }
}
