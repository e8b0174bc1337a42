package dev.berth.platform.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Deploy;
import dev.berth.gitsync.definition.Port;
import dev.berth.gitsync.definition.Resources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AppsDomainTest {
    private static final AppsDomain APPS = new AppsDomain("apps.example.com");

    private static AppDefinition app(String name, Port... ports) {
        return new AppDefinition(name, "busybox", List.of(), Map.of(), List.of(), 1, null, Resources.DEFAULT,
                List.of(ports), null, List.of(), List.of(), List.of(), Deploy.DEFAULT, null);
    }

    static Stream<Arguments> defaultRoute() {
        var http = new Port("http", 8080, true);
        var admin = new Port("admin", 9090, true);
        var hidden = new Port("http", 8081, false);
        return Stream.of(
                Arguments.of("the port named http", app("web", admin, http), "web.shop.apps.example.com", "http"),
                Arguments.of("else the first published", app("web", new Port("metrics", 1, false), admin), "web.shop.apps.example.com", "admin"),
                Arguments.of("an unpublished http is passed over", app("web", hidden, admin), "web.shop.apps.example.com", "admin"),
                Arguments.of("no published port", app("worker", hidden), null, null),
                Arguments.of("no ports", app("worker"), null, null),
                Arguments.of("an all-digit app name is a label too", app("42", http), "42.shop.apps.example.com", "http"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void defaultRoute(String name, AppDefinition app, String host, String port) {
        var expected = host == null ? Optional.<AppsDomain.DefaultRoute>empty() : Optional.of(new AppsDomain.DefaultRoute(host, port));
        assertThat(APPS.defaultRoute("shop", app)).isEqualTo(expected);
    }

    @Test
    void namesTooLongTogetherForDnsGetNoDefaultHost() {
        // Team and app names are DNS labels of up to 63 characters each; with a 126-character domain the sum is 254.
        var long126 = new AppsDomain("x".repeat(63) + "." + "y".repeat(50) + ".example.com");
        String team = "t".repeat(63);
        assertThat(long126.defaultHost(team, "a".repeat(63))).isEmpty();
        assertThat(long126.defaultRoute(team, app("a".repeat(63), new Port("http", 80, true)))).isEmpty();
        assertThat(long126.defaultHost(team, "a".repeat(62))).isPresent();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void unsetGivesNoDefaultHostsAndOwnsNothing(String configured) {
        var none = new AppsDomain(configured);
        assertThat(none.domain()).isEmpty();
        assertThat(none.defaultHost("shop", "web")).isEmpty();
        assertThat(none.defaultRoute("shop", app("web", new Port("http", 80, true)))).isEmpty();
        assertThat(none.covers("web.shop.apps.example.com")).isFalse();
        assertThat(none.teamOwns("shop", "web.shop.apps.example.com")).isFalse();
    }

    static Stream<Arguments> ownership() {
        return Stream.of(
                Arguments.of("web.shop.apps.example.com", true, true, null),
                Arguments.of("api.shop.apps.example.com", true, true, "is the default host of app api; under"
                        + " shop.apps.example.com an app routes only its own name, web.shop.apps.example.com"),
                Arguments.of("web.other.apps.example.com", true, false, "is under the apps domain apps.example.com,"
                        + " where team shop holds only *.shop.apps.example.com"),
                Arguments.of("shop.apps.example.com", true, false, "is under the apps domain apps.example.com,"
                        + " where team shop holds only *.shop.apps.example.com"),
                Arguments.of("a.web.shop.apps.example.com", true, false, "is under the apps domain apps.example.com,"
                        + " where team shop holds only *.shop.apps.example.com"),
                Arguments.of("apps.example.com", true, false, "is under the apps domain apps.example.com,"
                        + " where team shop holds only *.shop.apps.example.com"),
                Arguments.of("web.shop.myapps.example.com", false, false, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void ownership(String host, boolean covered, boolean teamOwns, String problem) {
        assertThat(APPS.covers(host)).isEqualTo(covered);
        assertThat(APPS.teamOwns("shop", host)).isEqualTo(teamOwns);
        if (covered) assertThat(APPS.problemFor("shop", "web", host)).isEqualTo(problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Apps.example.com", "*.apps.example.com", "apps", "203.0.113.7", "apps.example.com."})
    void aWrongDomainStopsTheStartSayingWhy(String configured) {
        assertThatThrownBy(() -> new AppsDomain(configured)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("berth.apps-domain (BERTH_APPS_DOMAIN) '" + configured + "' ")
                .hasMessageEndingWith("; set a domain whose subdomains point at the edge, such as apps.example.com, or leave it unset");
    }

    @Test
    void theDefaultHostIsAppDotTeamDotDomain() {
        assertThat(APPS.defaultHost("shop", "web")).contains("web.shop.apps.example.com");
        assertThat(APPS.domain()).contains("apps.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"apps.example.com", "*.apps.example.com", "web.shop.apps.example.com", "*.shop.apps.example.com", "*.example.com"})
    void teamsAreNotGivenNamesUnderTheAppsDomain(String pattern) {
        assertThat(APPS.patternProblem(DomainPattern.parse(pattern))).isEqualTo("is under the apps domain apps.example.com,"
                + " whose names Berth hands out itself (APP.TEAM.apps.example.com)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "*.myapps.example.com", "shop.example.com"})
    void otherNamesAreAdmins(String pattern) {
        assertThat(APPS.patternProblem(DomainPattern.parse(pattern))).isNull();
        assertThat(new AppsDomain(null).patternProblem(DomainPattern.parse("*.apps.example.com"))).isNull();
    }
}
