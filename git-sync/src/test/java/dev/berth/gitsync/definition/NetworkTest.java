package dev.berth.gitsync.definition;

import static dev.berth.gitsync.definition.DefinitionParserTest.parse;
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
    private static final String FORM = "write CIDR[:port], such as 10.20.0.0/16, 10.20.0.5/32:5432 or [fd00::/64]:443";
    private static final String LOOPBACK = "loopback never leaves the container; reach the team's other apps with connects";
    private static final String LABEL = "lowercase letters, digits and '-' (not first or last), at most 63 characters";

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
                Arguments.of("misspelt key", app("egres: public"), "5:5: unknown key 'egres'; did you mean 'egress'?"),
                // egressTo: the form
                Arguments.of("egressTo not a list", app("egressTo: 10.0.0.0/8"), "5:15: egressTo must be a list, not '10.0.0.0/8'"),
                Arguments.of("egressTo entry a number", app("egressTo: [10]"),
                        "5:16: an egressTo entry must be a string, and YAML reads 10 as a number; quote it: \"10\""),
                Arguments.of("not an IP range", app("egressTo: ['10.0.0.0-10.0.0.9']"),
                        "5:16: egressTo entry '10.0.0.0-10.0.0.9' is not an IP range; " + FORM),
                Arguments.of("octet with a leading zero", app("egressTo: [010.0.0.0/8]"),
                        "5:16: egressTo entry '010.0.0.0/8' is not an IP range; " + FORM),
                Arguments.of("IPv6 zone", app("egressTo: ['fe80::1%eth0/64']"),
                        "5:16: egressTo entry 'fe80::1%eth0/64' is not an IP range; " + FORM),
                Arguments.of("host name", app("egressTo: [db.internal]"),
                        "5:16: egressTo entry 'db.internal' is a host name; egressTo takes IP ranges such as 10.20.0.0/16,"
                                + " and names are not looked up"),
                Arguments.of("host name with a port", app("egressTo: ['db.internal:5432']"),
                        "5:16: egressTo entry 'db.internal:5432' is a host name; egressTo takes IP ranges such as 10.20.0.0/16,"
                                + " and names are not looked up"),
                Arguments.of("IPv4 in brackets", app("egressTo: ['[10.0.0.0/8]:80']"),
                        "5:16: egressTo entry '[10.0.0.0/8]:80' puts an IPv4 range in brackets; brackets are for IPv6 only"),
                Arguments.of("IPv6 with a port, no brackets", app("egressTo: ['fd00::/64:443']"),
                        "5:16: egressTo entry 'fd00::/64:443' has a port after an IPv6 range; put the range in brackets: [fd00::/64]:443"),
                Arguments.of("IPv4-mapped IPv6", app("egressTo: ['::ffff:10.0.0.1/128']"),
                        "5:16: egressTo entry '::ffff:10.0.0.1/128' is an IPv4-mapped IPv6 address; write the IPv4 range itself, such as 10.0.0.1/32"),
                // egressTo: prefix and port
                Arguments.of("no prefix length", app("egressTo: [10.20.0.5]"),
                        "5:16: egressTo entry '10.20.0.5' has no prefix length; for this one address write 10.20.0.5/32"),
                Arguments.of("no prefix length, with a port", app("egressTo: ['10.20.0.5:5432']"),
                        "5:16: egressTo entry '10.20.0.5:5432' has no prefix length; for this one address write 10.20.0.5/32:5432"),
                Arguments.of("IPv6 without prefix length, with a port", app("egressTo: ['[fd00::0001]:443']"),
                        "5:16: egressTo entry '[fd00::0001]:443' has no prefix length; for this one address write [fd00::1/128]:443"),
                Arguments.of("IPv4 prefix too long", app("egressTo: [10.0.0.0/33]"),
                        "5:16: egressTo entry '10.0.0.0/33' has the prefix length /33; IPv4 prefix lengths are 0 to 32"),
                Arguments.of("IPv6 prefix too long", app("egressTo: ['fd00::/129']"),
                        "5:16: egressTo entry 'fd00::/129' has the prefix length /129; IPv6 prefix lengths are 0 to 128"),
                Arguments.of("prefix not a number", app("egressTo: [10.0.0.0/x]"),
                        "5:16: egressTo entry '10.0.0.0/x' has the prefix length /x; IPv4 prefix lengths are 0 to 32"),
                Arguments.of("host bits set", app("egressTo: [10.20.0.5/16]"),
                        "5:16: egressTo entry '10.20.0.5/16' has bits set outside its /16; did you mean 10.20.0.0/16?"),
                Arguments.of("IPv6 host bits set", app("egressTo: ['fd00::1/64']"),
                        "5:16: egressTo entry 'fd00::1/64' has bits set outside its /64; did you mean fd00::/64?"),
                Arguments.of("port 0", app("egressTo: ['10.0.0.0/8:0']"),
                        "5:16: egressTo entry '10.0.0.0/8:0' has the port 0; a port is a number from 1 to 65535, or left out for every port"),
                Arguments.of("port too high", app("egressTo: ['[fd00::/8]:65536']"),
                        "5:16: egressTo entry '[fd00::/8]:65536' has the port 65536; a port is a number from 1 to 65535, or left out for every port"),
                Arguments.of("port a name", app("egressTo: ['10.0.0.0/8:pg']"),
                        "5:16: egressTo entry '10.0.0.0/8:pg' has the port pg; a port is a number from 1 to 65535, or left out for every port"),
                Arguments.of("port empty", app("egressTo: ['10.0.0.0/8:']"),
                        "5:16: egressTo entry '10.0.0.0/8:' has no port after ':'; a port is a number from 1 to 65535, or left out for every port"),
                // egressTo: ranges no app may list
                Arguments.of("loopback", app("egressTo: [127.0.0.1/32]"),
                        "5:16: egressTo entry '127.0.0.1/32' is in the loopback range 127.0.0.0/8: " + LOOPBACK),
                Arguments.of("IPv6 loopback", app("egressTo: ['::1/128']"),
                        "5:16: egressTo entry '::1/128' is in the loopback range ::1/128: " + LOOPBACK),
                Arguments.of("unspecified", app("egressTo: [0.0.0.0/32]"),
                        "5:16: egressTo entry '0.0.0.0/32' is in the unspecified range 0.0.0.0/8: no packet is ever sent there"),
                Arguments.of("IPv6 unspecified", app("egressTo: ['::/128']"),
                        "5:16: egressTo entry '::/128' is in the unspecified range ::/128: no packet is ever sent there"),
                Arguments.of("multicast", app("egressTo: ['239.1.2.0/24:5000']"),
                        "5:16: egressTo entry '239.1.2.0/24:5000' is in the multicast range 224.0.0.0/4: apps cannot send to multicast groups"),
                Arguments.of("IPv6 multicast", app("egressTo: ['ff02::1/128']"),
                        "5:16: egressTo entry 'ff02::1/128' is in the multicast range ff00::/8: apps cannot send to multicast groups"),
                Arguments.of("everything", app("egressTo: [0.0.0.0/0]"),
                        "5:16: egressTo entry '0.0.0.0/0' includes the unspecified range 0.0.0.0/8 (no packet is ever sent there);"
                                + " list only the ranges the app needs, and use egress: public for the internet"),
                Arguments.of("a range around loopback", app("egressTo: [96.0.0.0/3]"),
                        "5:16: egressTo entry '96.0.0.0/3' includes the loopback range 127.0.0.0/8 (" + LOOPBACK
                                + "); list only the ranges the app needs, and use egress: public for the internet"),
                // egressTo: the list
                Arguments.of("listed twice", app("egressTo: [10.0.0.0/8, 10.1.0.0/16, 10.0.0.0/8]"),
                        "5:41: egressTo entry '10.0.0.0/8' is listed twice"),
                Arguments.of("listed twice in other words", app("egressTo: ['fd00::/64', '[FD00:0::/64]']"),
                        "5:29: egressTo entry '[FD00:0::/64]' is listed twice"),
                Arguments.of("33 entries", app("egressTo: [" + IntStream.range(0, 33).mapToObj(i -> "10.0." + i + ".0/24")
                        .collect(Collectors.joining(", ")) + "]"), "5:15: egressTo has 33 entries; at most 32 per app"),
                Arguments.of("each bad entry reported", app("egressTo: [10.0.0.1, 10.0.0.0/8:0]"),
                        "5:16: egressTo entry '10.0.0.1' has no prefix length; for this one address write 10.0.0.1/32\n"
                                + "5:26: egressTo entry '10.0.0.0/8:0' has the port 0; a port is a number from 1 to 65535, or left out for every port"),
                // connects: each entry
                Arguments.of("connects not a list", app("connects: db"), "5:15: connects must be a list, not 'db'"),
                Arguments.of("connect not a mapping", app("connects: [db]"), "5:16: connects[0] must be a mapping (key: value), not 'db'"),
                Arguments.of("connect misspelt key", app("connects: [{app: db, port: pg, lokal: 5432}]"),
                        "5:16: connects[0] needs 'local'\n5:36: unknown key 'lokal'; did you mean 'local'?"),
                Arguments.of("connect unknown key", app("connects: [{app: db, port: pg, local: 5432, protocol: tcp}]"),
                        "5:49: unknown key 'protocol'; expected one of: app, port, local"),
                Arguments.of("connect without port", app("connects: [{app: db, local: 5432}]"), "5:16: connects[0] needs 'port'"),
                Arguments.of("connect app not a label", app("connects: [{app: My_DB, port: pg, local: 5432}]"),
                        "5:22: connects[0].app 'My_DB' must be an app name: " + LABEL),
                Arguments.of("connect app a number", app("connects: [{app: 2048, port: http, local: 8080}]"),
                        "5:22: connects[0].app must be a string, and YAML reads 2048 as a number; quote it: \"2048\""),
                Arguments.of("connect port a number", app("connects: [{app: db, port: 5432, local: 5432}]"),
                        "5:32: connects[0].port 5432 is a number; name the port as the producer's berth.yaml does, e.g. pg"),
                Arguments.of("connect port not a label", app("connects: [{app: db, port: PG, local: 5432}]"),
                        "5:32: connects[0].port 'PG' must be a port name: " + LABEL),
                Arguments.of("local 0", app("connects: [{app: db, port: pg, local: 0}]"), "5:43: connects[0].local must be at least 1"),
                Arguments.of("local too high", app("connects: [{app: db, port: pg, local: 65536}]"),
                        "5:43: connects[0].local must be at most 65535"),
                Arguments.of("local a string", app("connects: [{app: db, port: pg, local: '5432'}]"),
                        "5:43: connects[0].local must be a whole number, not '5432'"),
                // connects: within the app
                Arguments.of("local twice", app("connects: [{app: db, port: pg, local: 5432}, {app: cache, port: redis, local: 5432}]"),
                        "5:83: connects[1].local 5432 is also the local port of connects[0]; both would listen on"
                                + " 127.0.0.1:5432 in the same container, so pick another local port"),
                Arguments.of("local is the app's own port", app("ports: [{name: http, port: 8080}]\n"
                        + "connects: [{app: api, port: http, local: 8080}]"),
                        "6:46: connects[0].local 8080 is also this app's port http; both would listen on"
                                + " 127.0.0.1:8080 in the same container, so pick another local port"),
                Arguments.of("same app and port twice", app("connects: [{app: db, port: pg, local: 5432}, {app: db, port: pg, local: 5433}]"),
                        "5:50: connects[1] connects to app db, port pg again (as connects[0] does); one local port per app and port is enough"),
                Arguments.of("33 connects", app("connects: [" + IntStream.range(0, 33).mapToObj(i -> "{app: a" + i + ", port: p, local: " + (1000 + i) + "}")
                        .collect(Collectors.joining(", ")) + "]"), "5:15: connects has 33 entries; at most 32 per app"),
                // connects: to an app of the same file
                Arguments.of("the app in the file has no such port", HEAD + """
                            connects: [{app: db, port: pg, local: 5432}]
                          db:
                            image: postgres
                            ports: [{name: postgres, port: 5432}, {name: metrics, port: 9187}]
                        """, "5:16: app db declares no port named pg; its ports are: postgres, metrics"),
                Arguments.of("the app in the file has no ports", HEAD + """
                            connects: [{app: db, port: pg, local: 5432}]
                          db: {image: postgres}
                        """, "5:16: app db declares no port named pg; it declares no ports"),
                Arguments.of("connect to itself, no such port", app("ports: [{name: http, port: 8080}]\n"
                        + "connects: [{app: a, port: admin, local: 9090}]"),
                        "6:16: app a declares no port named admin; its ports are: http"),
                Arguments.of("the target's ports are wrong: no guess", HEAD + """
                            connects: [{app: db, port: pg, local: 5432}]
                          db:
                            image: postgres
                            ports: [{name: PG, port: 5432}]
                        """, "8:20: ports[0].name 'PG' must be " + LABEL),
                Arguments.of("the app with the connect is wrong elsewhere", app("replicas: x\n"
                        + "connects: [{app: a, port: http, local: 9090}]"),
                        "5:15: replicas must be a whole number, not 'x'\n6:16: app a declares no port named http; it declares no ports"),
                Arguments.of("the network's egress is wrong too", app("egress: all\n"
                        + "connects: [{app: a, port: http, local: 9090}]"),
                        "5:13: egress must be none or public, not 'all'\n6:16: app a declares no port named http; it declares no ports"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void invalid(String name, String yaml, String expected) {
        RulesTest.assertProblems(yaml, expected);
    }

    @Test
    void anAppWithoutNetworkKeysGetsNone() {
        assertThat(network(HEAD)).isEqualTo(Network.NONE);
    }
}
