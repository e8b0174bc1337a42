package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.DefinitionLimits;
import dev.berth.gitsync.definition.DefinitionParser;
import dev.berth.gitsync.definition.ParseResult;
import dev.berth.platform.domains.AppsDomain;
import dev.berth.platform.domains.DomainPattern;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The route checks of a push, on definitions as the parser gives them. {@link #web} declares app
 * {@code web} of team {@code shop} with one route on line 8, column 7.
 */
class RouteReviewTest {
    private static final AppsDomain APPS = new AppsDomain("apps.example.com");
    private static final RouteReview.Team SHOP = new RouteReview.Team("shop",
            List.of(DomainPattern.parse("*.shop.example.org"), DomainPattern.parse("shop.example.com")), APPS);
    private static final String NOT_OURS = " is not among team shop's domains (*.shop.example.org, shop.example.com,"
            + " *.shop.apps.example.com); a platform admin adds domains on the Domains page";

    private static Definition web(String host, String path) {
        String yaml = """
                apiVersion: berth/v1
                apps:
                  web:
                    image: busybox
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {tcp: {port: http}}
                    routes:
                      - {host: %s, port: http, path: %s}
                """.formatted(host, path);
        var parsed = DefinitionParser.parse("berth.yaml", yaml.getBytes(StandardCharsets.UTF_8), DefinitionLimits.DEFAULTS);
        if (!(parsed instanceof ParseResult.Valid(Definition definition))) throw new AssertionError(parsed.toString());
        return definition;
    }

    static Stream<Arguments> owned() {
        return Stream.of(
                Arguments.of("an exact domain", "shop.example.com"),
                Arguments.of("under a wildcard", "www.shop.example.org"),
                Arguments.of("its own default host", "web.shop.apps.example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void owned(String name, String host) {
        assertThat(RouteReview.problems("berth.yaml", web(host, "/"), SHOP, Map.of())).isEmpty();
    }

    static Stream<Arguments> refused() {
        String at = "berth.yaml:8:9: app 'web': routes[0].host ";
        return Stream.of(
                Arguments.of("another domain", "shop.example.net", at + "shop.example.net" + NOT_OURS),
                Arguments.of("the wildcard's base itself", "shop.example.org", at + "shop.example.org" + NOT_OURS),
                Arguments.of("two labels under a wildcard", "a.b.shop.example.org", at + "a.b.shop.example.org" + NOT_OURS),
                Arguments.of("another team's part of the apps domain", "web.other.apps.example.com", at
                        + "web.other.apps.example.com is under the apps domain apps.example.com, where team shop holds only"
                        + " *.shop.apps.example.com"),
                Arguments.of("another app's default host", "api.shop.apps.example.com", at + "api.shop.apps.example.com is"
                        + " the default host of app api; under shop.apps.example.com an app routes only its own name,"
                        + " web.shop.apps.example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused(String name, String host, String expected) {
        assertThat(RouteReview.problems("berth.yaml", web(host, "/"), SHOP, Map.of())).containsExactly(expected);
    }

    @Test
    void aTeamWithoutDomainsOrAppsDomainIsToldItHoldsNone() {
        var bare = new RouteReview.Team("shop", List.of(), new AppsDomain(null));
        assertThat(RouteReview.problems("berth.yaml", web("shop.example.com", "/"), bare, Map.of())).containsExactly(
                "berth.yaml:8:9: app 'web': routes[0].host shop.example.com is not among team shop's domains (it holds none);"
                        + " a platform admin adds domains on the Domains page");
    }

    @Test
    void aHostAndPathAnotherRepositoryServesIsNamedWithItsOwner() {
        var taken = new RouteClaim("shop.example.com", "/api", "other", "x", "web", "http");
        assertThat(RouteReview.problems("berth.yaml", web("shop.example.com", "/api/"), SHOP,
                Map.of("shop.example.com/api", taken))).containsExactly("berth.yaml:8:9: app 'web': routes[0]"
                + " shop.example.com/api is already served by app web of team other (repository x); one host and path go to"
                + " one app: remove the route there first, or pick another path");
        // Another path of the same host is free.
        assertThat(RouteReview.problems("berth.yaml", web("shop.example.com", "/"), SHOP,
                Map.of("shop.example.com/api", taken))).isEmpty();
    }

    @Test
    void aHostTheTeamDoesNotHoldIsReportedForThatAlone() {
        var taken = new RouteClaim("shop.example.net", "/", "other", "x", "web", "http");
        assertThat(RouteReview.problems("berth.yaml", web("shop.example.net", "/"), SHOP, Map.of("shop.example.net/", taken)))
                .containsExactly("berth.yaml:8:9: app 'web': routes[0].host shop.example.net" + NOT_OURS);
    }

    @Test
    void claimsAndTheirAuditDetailFollowTheFile() {
        var definition = web("shop.example.com", "/api/");
        assertThat(RouteReview.claims(definition)).containsExactly(new RouteClaimStore.NewClaim("shop.example.com", "/api", "web", "http"));
        assertThat(RouteReview.hostPaths(definition)).containsExactly("shop.example.com/api");
        assertThat(RouteReview.audited(definition)).isEqualTo("shop.example.com/api → web:http");
        assertThat(RouteReview.audited(new Definition("berth/v1", List.of()))).isNull();
    }
}
