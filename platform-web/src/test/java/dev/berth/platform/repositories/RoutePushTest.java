package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * berth.yaml's routes over a real {@code git push}: a host must be among the team's domains, and a
 * host and path one app of another repository serves is refused, at the route's line and column.
 * Claims follow the newest revision, are audited with the push, and of two pushes racing for one
 * host and path exactly one wins.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutePushTest extends PlatformTest {
    private static final String TEAM = "routeshop";
    private static final String OTHER = "routeother";

    @LocalServerPort
    int port;
    @Autowired
    RouteClaims claims;
    @Autowired
    RepositoryStore repositories;
    @Autowired
    TransactionTemplate tx;

    private TeamPushes pushes;
    private Api root;
    private String deployerToken;

    @BeforeAll
    void setUp() throws Exception {
        pushes = TeamPushes.start(port, "berth-route-push", "acme/route:1", List.of(TEAM, OTHER));
        root = pushes.root;
        deployerToken = pushes.member(TEAM, "route-deployer", "DEPLOYER");
        assertThat(domains(TEAM, "*.routeshop.example", "routeshop.example").status()).isEqualTo(200);
        assertThat(domains(OTHER, "*.routeother.example").status()).isEqualTo(200);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (pushes != null) pushes.close();
    }

    private Api.Response domains(String team, String... patterns) {
        return root.put("/api/v1/teams/" + team + "/domains", Map.of("domains", List.of(patterns)));
    }

    /** Commits one app with {@code routes} (a YAML flow list) as the repository's berth.yaml and pushes it. */
    private GitCli.Result push(String team, String repository, String app, String routes) throws Exception {
        String apps = """
                  %s:
                    image: %s
                    replicas: 0
                    ports: [{name: http, port: 8080, publish: true}]
                    health: {tcp: {port: http}}
                    routes: %s
                """.formatted(app, pushes.image, routes);
        return team.equals(TEAM) ? pushes.push(team, repository, "route-deployer", deployerToken, apps)
                : pushes.push(team, repository, "admin", pushes.rootToken, apps);
    }

    @Test
    void aHostMustBeAmongTheTeamsDomains() throws Exception {
        var refused = push(TEAM, "route-own", "own", "[{host: www.routeother.example, port: http}]");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.out()).contains("remote: berth.yaml:8:14: app 'own': routes[0].host www.routeother.example is not"
                        + " among team routeshop's domains (*.routeshop.example, routeshop.example); a platform admin adds"
                        + " domains on the Domains page")
                .contains("[remote rejected] HEAD -> main (invalid berth.yaml)");
        assertThat(claims.ofTeam(TEAM)).noneMatch(c -> c.app().equals("own"));

        var accepted = push(TEAM, "route-own", "own", "[{host: own.routeshop.example, port: http}, {host: routeshop.example,"
                + " port: http, path: /own/}]");
        assertThat(accepted.exit()).as(accepted.out()).isZero();
        assertThat(claims.ofTeam(TEAM)).filteredOn(c -> c.app().equals("own")).containsExactly(
                new RouteClaim("own.routeshop.example", "/", TEAM, "route-own", "own", "http"),
                new RouteClaim("routeshop.example", "/own", TEAM, "route-own", "own", "http"));
        assertThat(claims.all()).contains(new RouteClaim("routeshop.example", "/own", TEAM, "route-own", "own", "http"));
        var events = root.get("/api/v1/audit?action=repository.push&team=" + TEAM).body().lines()
                .filter(l -> l.contains("repository:routeshop/route-own") && l.contains("\"revision\"")).toList();
        assertThat(events).last().asString()
                .contains("\"routes\":\"own.routeshop.example/ → own:http, routeshop.example/own → own:http\"");

        // Dropping a route releases it.
        assertThat(push(TEAM, "route-own", "own", "[{host: own.routeshop.example, port: http}]").exit()).isZero();
        assertThat(claims.ofTeam(TEAM)).filteredOn(c -> c.app().equals("own")).extracting(RouteClaim::hostAndPath)
                .containsExactly("own.routeshop.example/");
    }

    @Test
    void aHostAndPathServedByAnotherRepositoryIsRefusedUntilReleased() throws Exception {
        assertThat(push(TEAM, "route-first", "first", "[{host: www.routeshop.example, port: http, path: /api}]").exit()).isZero();
        var refused = push(TEAM, "route-second", "second", "[{host: www.routeshop.example, port: http},"
                + " {host: www.routeshop.example, port: http, path: /api/}]");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.out()).contains("remote: berth.yaml:8:57: app 'second': routes[1] www.routeshop.example/api is already"
                + " served by app first of team routeshop (repository route-first); one host and path go to one app: remove the"
                + " route there first, or pick another path").doesNotContain("routes[0]");

        // The first repository's berth.yaml no longer has the app: its claim goes, and the second may take the path.
        assertThat(push(TEAM, "route-first", "renamed", "[]").exit()).isZero();
        var second = push(TEAM, "route-second", "second", "[{host: www.routeshop.example, port: http},"
                + " {host: www.routeshop.example, port: http, path: /api/}]");
        assertThat(second.exit()).as(second.out()).isZero();
        assertThat(claims.ofTeam(TEAM)).filteredOn(c -> c.host().equals("www.routeshop.example"))
                .extracting(RouteClaim::repository).containsOnly("route-second");
    }

    @Test
    void ofTwoPushesRacingForAHostAndPathExactlyOneWins() throws Exception {
        // Both repositories exist and hold nothing yet, so both pushes pass the review's first look.
        for (String r : List.of("race-a", "race-b")) assertThat(push(TEAM, r, r, "[]").exit()).isZero();
        var start = new CountDownLatch(1);
        var pushes = List.of("race-a", "race-b").stream().map(r -> CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
                return push(TEAM, r, r, "[{host: race.routeshop.example, port: http}]");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).toList();
        start.countDown();
        var results = pushes.stream().map(f -> f.orTimeout(60, TimeUnit.SECONDS).join()).toList();
        assertThat(results).filteredOn(r -> r.exit() == 0).hasSize(1);
        var loser = results.stream().filter(r -> r.exit() != 0).findFirst().orElseThrow();
        assertThat(loser.out()).containsPattern("routes\\[0\\] race\\.routeshop\\.example/ is already served by app race-[ab]");
        assertThat(claims.all()).filteredOn(c -> c.host().equals("race.routeshop.example")).hasSize(1);
    }

    @Test
    void whileOneTransactionHoldsItsClaimAnotherWaitsAndThenFindsItTaken() throws Exception {
        for (String r : List.of("hold-a", "hold-b")) assertThat(push(TEAM, r, r, "[]").exit()).isZero();
        var a = repositories.find(TEAM, "hold-a").orElseThrow();
        var b = repositories.find(TEAM, "hold-b").orElseThrow();
        var claim = List.of(new RouteClaimStore.NewClaim("hold.routeshop.example", "/", "hold", "http"));
        var written = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var first = CompletableFuture.supplyAsync(() -> tx.execute(s -> {
            var taken = claims.replace(a.teamId(), a.id(), claim);
            written.countDown();
            await(release);
            return taken;
        }));
        assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
        var second = CompletableFuture.supplyAsync(() -> tx.execute(s -> claims.replace(b.teamId(), b.id(), claim)));
        Thread.sleep(300);
        assertThat(second).as("waits for the first transaction's lock").isNotDone();
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(second.get(30, TimeUnit.SECONDS)).containsOnlyKeys("hold.routeshop.example/")
                .extractingByKey("hold.routeshop.example/").extracting(RouteClaim::repository).isEqualTo("hold-a");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
