package dev.berth.gitsync.definition;

import static dev.berth.gitsync.definition.DefinitionParserTest.parse;
import static dev.berth.gitsync.definition.RulesTest.HEAD;
import static dev.berth.gitsync.definition.RulesTest.app;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The key {@code routes}. {@link #web} gives app {@code a} the published ports {@code http} and
 * {@code admin} on line 5, then the given lines from line 6, column 5, then a health check; {@link #host} and {@link #path} write one
 * route in block style, its host value at 7:15 and its path value at 8:15.
 */
class RoutesTest {
    private static final String PORTS = "ports: [{name: http, port: 8080, publish: true}, {name: admin, port: 9090, publish: true}]\n";
    private static final String HEALTH = "\nhealth: {tcp: {port: http}}";
    /** Like {@link #PORTS}, but {@code admin} is not published. */
    private static final String ADMIN_UNPUBLISHED = "ports: [{name: http, port: 8080, publish: true}, {name: admin, port: 9090}]\n";
    private static final String LABEL = "; labels are letters, digits and '-', not first or last";

    static String web(String body) {
        return app(PORTS + body + HEALTH);
    }

    private static String adminUnpublished(String body) {
        return app(ADMIN_UNPUBLISHED + body + HEALTH);
    }

    private static String quoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    static String host(String host) {
        return web("routes:\n  - host: " + quoted(host) + "\n    port: http");
    }

    static String path(String path) {
        return web("routes:\n  - host: shop.example.com\n    path: " + quoted(path) + "\n    port: http");
    }

    private static List<Route> routes(String yaml, int app) {
        var result = parse(yaml);
        assertThat(result).as(() -> String.valueOf(result)).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).definition().apps().get(app).routes();
    }

    static Stream<Arguments> valid() {
        String label63 = "a".repeat(63);
        String host253 = String.join(".", label63, label63, label63, "b".repeat(61));
        return Stream.of(
                Arguments.of("none", app(""), List.of()),
                Arguments.of("an empty list", web("routes: []"), List.of()),
                Arguments.of("the path defaults to /", host("shop.example.com"),
                        List.of(new Route("shop.example.com", "http", "/", 7, 9))),
                Arguments.of("a trailing / is dropped", path("/api/"), List.of(new Route("shop.example.com", "http", "/api", 7, 9))),
                Arguments.of("/ stays /", path("/"), List.of(new Route("shop.example.com", "http", "/", 7, 9))),
                Arguments.of("dots inside segments and other escapes", path("/v1.2/a..b/%20x%41"),
                        List.of(new Route("shop.example.com", "http", "/v1.2/a..b/%20x%41", 7, 9))),
                Arguments.of("several hosts and paths, two ports", web("routes: [{host: shop.example.com, port: http},"
                                + " {host: shop.example.com, port: admin, path: /admin/}, {host: www.shop.example.com, port: http}]"),
                        List.of(new Route("shop.example.com", "http", "/", 6, 14),
                                new Route("shop.example.com", "admin", "/admin", 6, 52),
                                new Route("www.shop.example.com", "http", "/", 6, 106))),
                Arguments.of("digits, hyphens and punycode", host("xn--bcher-kva.2-shop.example"),
                        List.of(new Route("xn--bcher-kva.2-shop.example", "http", "/", 7, 9))),
                Arguments.of("labels of 63, a name of 253", host(host253), List.of(new Route(host253, "http", "/", 7, 9))),
                Arguments.of("a published port beside an unpublished one", adminUnpublished("routes: [{host: shop.example.com, port: http}]"),
                        List.of(new Route("shop.example.com", "http", "/", 6, 14))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void valid(String name, String yaml, List<Route> expected) {
        assertThat(routes(yaml, 0)).isEqualTo(expected);
    }

    static Stream<Arguments> invalid() {
        String label63 = "a".repeat(63);
        String host254 = String.join(".", label63, label63, label63, "b".repeat(62));
        String host = "7:15: routes[0].host ";
        String path = "8:15: routes[0].path ";
        return Stream.of(
                // host
                Arguments.of("upper case", host("Shop.Example.com"),
                        host + "'Shop.Example.com' must be written in lower case: shop.example.com"),
                Arguments.of("trailing dot", host("shop.example.com."),
                        host + "'shop.example.com.' ends with a dot; write it without: shop.example.com"),
                Arguments.of("wildcard", host("*.example.com"), host + "'*.example.com' is a wildcard; wildcards (*.)"
                        + " belong to a team's domains, not to routes: name each host"),
                Arguments.of("IPv4", host("203.0.113.5"),
                        host + "'203.0.113.5' is an IP address; a route needs a host name such as shop.example.com"),
                Arguments.of("IPv6", host("2001:db8::1"),
                        host + "'2001:db8::1' is an IP address; a route needs a host name such as shop.example.com"),
                Arguments.of("IPv6 in brackets", host("[2001:db8::1]"),
                        host + "'[2001:db8::1]' is an IP address; a route needs a host name such as shop.example.com"),
                Arguments.of("localhost", host("localhost"), host + "'localhost' is localhost, which names the machine"
                        + " itself; a route needs a public host name"),
                Arguments.of("under .localhost", host("shop.localhost"), host + "'shop.localhost' is localhost, which"
                        + " names the machine itself; a route needs a public host name"),
                Arguments.of("with a port", host("shop.example.com:443"), host + "'shop.example.com:443' has a port;"
                        + " the edge serves ports 80 and 443 only, so write the host alone: shop.example.com"),
                Arguments.of("one label", host("shop"), host + "'shop' needs at least two labels, such as shop.example.com"),
                Arguments.of("empty label", host("shop..example.com"),
                        host + "'shop..example.com' has an empty label (two dots in a row, or a leading dot)"),
                Arguments.of("label starting with -", host("-shop.example.com"),
                        host + "'-shop.example.com' has the label '-shop'" + LABEL),
                Arguments.of("label ending with -", host("shop-.example.com"),
                        host + "'shop-.example.com' has the label 'shop-'" + LABEL),
                Arguments.of("underscore", host("my_shop.example.com"),
                        host + "'my_shop.example.com' has the label 'my_shop'" + LABEL),
                Arguments.of("label of 64", host("a".repeat(64) + ".com"),
                        host + "'" + YamlReader.clip("a".repeat(64) + ".com") + "' has a label of 64 characters; a label has at most 63"),
                Arguments.of("name of 254", host(host254),
                        host + "'" + YamlReader.clip(host254) + "' has 254 characters; a host name has at most 253"),
                Arguments.of("numeric top-level domain", host("shop.123"),
                        host + "'shop.123' ends in an all-digit label; no top-level domain is a number"),
                Arguments.of("empty", host(""), host + "'' is empty; write a host name such as shop.example.com"),
                Arguments.of("a number", web("routes: [{host: 42, port: http}]"),
                        "6:21: routes[0].host must be a string, and YAML reads 42 as a number; quote it: \"42\""),
                // path
                Arguments.of("relative", path("api"), path + "'api' must start with '/'"),
                Arguments.of("query", path("/api?x=1"),
                        path + "'/api?x=1' must not contain '?' or '#': a route matches the path, not the query or fragment"),
                Arguments.of("fragment", path("/api#top"),
                        path + "'/api#top' must not contain '?' or '#': a route matches the path, not the query or fragment"),
                Arguments.of("double slash", path("/api//v1"), path + "'/api//v1' must not contain '//'"),
                Arguments.of("dot segment", path("/api/./v1"), path + "'/api/./v1' must not have a '.' or '..' segment"),
                Arguments.of("dot-dot at the end", path("/api/.."), path + "'/api/..' must not have a '.' or '..' segment"),
                Arguments.of("encoded slash", path("/a%2Fb"),
                        path + "'/a%2Fb' must not percent-encode '/' or '.' (%2F, %2E); write them as they are"),
                Arguments.of("encoded dots, lower case", path("/a/%2e%2e"),
                        path + "'/a/%2e%2e' must not percent-encode '/' or '.' (%2F, %2E); write them as they are"),
                Arguments.of("space", path("/a b"),
                        path + "'/a b' must be printable ASCII without spaces; percent-encode other characters"),
                Arguments.of("non-ASCII", path("/bücher"),
                        path + "'/bücher' must be printable ASCII without spaces; percent-encode other characters"),
                Arguments.of("too long", path("/" + "a".repeat(1024)),
                        path + "'" + YamlReader.clip("/" + "a".repeat(1024)) + "' has 1025 characters; at most 1024"),
                // the entry
                Arguments.of("not a list", web("routes: shop.example.com"), "6:13: routes must be a list, not 'shop.example.com'"),
                Arguments.of("entry not a mapping", web("routes: [shop.example.com]"),
                        "6:14: routes[0] must be a mapping (key: value), not 'shop.example.com'"),
                Arguments.of("misspelt key", web("routes: [{hots: shop.example.com, port: http}]"),
                        "6:14: routes[0] needs 'host'\n6:15: unknown key 'hots'; did you mean 'host'?"),
                Arguments.of("unknown key", web("routes: [{host: shop.example.com, port: http, tls: true}]"),
                        "6:51: unknown key 'tls'; expected one of: host, port, path"),
                Arguments.of("no port", web("routes: [{host: shop.example.com}]"), "6:14: routes[0] needs 'port'"),
                Arguments.of("port not declared", web("routes: [{host: shop.example.com, port: web}]"),
                        "6:45: routes[0].port 'web' is not one of this app's ports (http, admin)"),
                Arguments.of("port a number", web("routes: [{host: shop.example.com, port: 8080}]"),
                        "6:45: routes[0].port 8080 is a number; name one of this app's ports as declared under ports:"),
                Arguments.of("the app has no ports", app("routes: [{host: shop.example.com, port: http}]"),
                        "5:45: routes[0].port 'http' is not one of this app's ports (it declares none under ports:)"),
                Arguments.of("port not published", adminUnpublished("routes: [{host: shop.example.com, port: admin}]"),
                        "6:45: routes[0].port admin is not published; the edge reaches apps through published ports:"
                                + " add publish: true to port admin"),
                Arguments.of("port not published, block style", adminUnpublished("routes:\n  - host: shop.example.com\n    path: /admin\n"
                                + "    port: admin\n  - {host: shop.example.com, port: http}"),
                        "9:15: routes[0].port admin is not published; the edge reaches apps through published ports:"
                                + " add publish: true to port admin"),
                Arguments.of("publish unreadable: reported once, at publish", app("ports: [{name: http, port: 8080, publish: maybe}]\n"
                                + "routes: [{host: shop.example.com, port: http}]\nhealth: {exec: {command: [\"true\"]}}"),
                        "5:47: ports[0].publish must be true or false, not 'maybe'"),
                Arguments.of("each bad entry reported", web("routes: [{host: A.com, port: http}, {host: b.com, port: x}]"),
                        "6:21: routes[0].host 'A.com' must be written in lower case: a.com\n"
                                + "6:61: routes[1].port 'x' is not one of this app's ports (http, admin)"),
                // the file
                Arguments.of("same host and path twice in one app", web("routes: [{host: shop.example.com, port: http, path: /api/},"
                                + " {host: shop.example.com, port: admin, path: /api}]"),
                        "6:65: routes[1] routes shop.example.com/api again; app a at line 6, column 14 already does,"
                                + " and one host and path go to one app and port"),
                Arguments.of("same host and path in two apps", web("routes: [{host: shop.example.com, port: http}]") + """
                          b:
                            image: busybox
                            ports: [{name: web, port: 80, publish: true}]
                            health: {tcp: {port: web}}
                            routes:
                              - {host: www.example.com, port: web}
                              - {host: shop.example.com, port: web}
                        """, "14:9: routes[1] routes shop.example.com/ again; app a at line 6, column 14 already does,"
                        + " and one host and path go to one app and port"),
                Arguments.of("33 routes", web("routes: [" + IntStream.range(0, 33).mapToObj(i -> "{host: s" + i + ".example.com, port: http}")
                        .collect(Collectors.joining(", ")) + "]"), "6:13: routes has 33 entries; at most 32 per app (the maximum on this Berth)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void invalid(String name, String yaml, String expected) {
        RulesTest.assertProblems(yaml, expected);
    }

    @Test
    void routesOfSeveralAppsAreKeptPerApp() {
        String yaml = HEAD + """
                    ports: [{name: http, port: 8080, publish: true}]
                    routes: [{host: shop.example.com, port: http, path: /}]
                    health: {tcp: {port: http}}
                  api:
                    image: busybox
                    ports: [{name: http, port: 8080, publish: true}]
                    routes: [{host: shop.example.com, port: http, path: /api}]
                    health: {tcp: {port: http}}
                """;
        assertThat(routes(yaml, 0)).containsExactly(new Route("shop.example.com", "http", "/", 6, 14));
        assertThat(routes(yaml, 1)).containsExactly(new Route("shop.example.com", "http", "/api", 11, 14));
    }

    @Test
    void anAppBuiltWithoutRoutesOrStoredBeforeThemHasNone() {
        var without = new AppDefinition("a", "busybox", List.of(), java.util.Map.of(), List.of(), 1, null,
                Resources.DEFAULT, List.of(), null, List.of(), List.of(), List.of(), Deploy.DEFAULT, null);
        var stored = new AppDefinition("a", "busybox", List.of(), java.util.Map.of(), List.of(), 1, null,
                Resources.DEFAULT, List.of(), null, List.of(), List.of(), List.of(), Deploy.DEFAULT, null, null);
        assertThat(without.routes()).isEmpty();
        assertThat(stored).isEqualTo(without);
    }

    @Test
    void theLimitIsConfigurable() {
        var limits = new DefinitionLimits(1 << 20, 100, 10, 4L << 30, 4000, 4096, 10L << 30, 512L << 20, 8, 1);
        var result = DefinitionParser.parse("berth.yaml", web("routes: [{host: a.example.com, port: http},"
                + " {host: b.example.com, port: http}]").getBytes(StandardCharsets.UTF_8), limits);
        assertThat(DefinitionParserTest.problems(result))
                .containsExactly("berth.yaml:6:13: routes has 2 entries; at most 1 per app (the maximum on this Berth)");
    }
}
