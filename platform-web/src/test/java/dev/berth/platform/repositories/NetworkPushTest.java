package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.PlatformTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * berth.yaml's network keys over a real {@code git push}: the team's allowed ranges and its other
 * repositories' apps decide, and the refusal reaches the pusher as {@code remote:} lines with the
 * entry's position. Another team's app is never seen.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkPushTest extends PlatformTest {
    private static final String TEAM = "netops";
    private static final String RIVAL = "netrival";

    @LocalServerPort
    int port;

    private TeamPushes pushes;
    private Api root;
    private String rootToken;
    private String deployerToken;
    private String image;

    @BeforeAll
    void setUp() throws Exception {
        pushes = TeamPushes.start(port, "berth-network-push", "acme/net:1", List.of(TEAM, RIVAL));
        root = pushes.root;
        rootToken = pushes.rootToken;
        image = pushes.image;
        deployerToken = pushes.member(TEAM, "net-deployer", "DEPLOYER");

        // The team's database, from a repository of its own; the rival team has an app of its own.
        assertThat(push(TEAM, "net-db", "admin", rootToken, """
                  db:
                    image: %s
                    replicas: 0
                    ports: [{name: pg, port: 5432}, {name: metrics, port: 9187}]
                """.formatted(image)).exit()).isZero();
        assertThat(push(RIVAL, "vault", "admin", rootToken, """
                  vault:
                    image: %s
                    replicas: 0
                    ports: [{name: pg, port: 5432}]
                """.formatted(image)).exit()).isZero();
    }

    @AfterAll
    void tearDown() throws Exception {
        if (pushes != null) pushes.close();
    }

    private GitCli.Result push(String team, String repository, String user, String secret, String apps) throws Exception {
        return pushes.push(team, repository, user, secret, apps);
    }

    private GitCli.Result pushWeb(String network) throws Exception {
        return push(TEAM, "net-web", "net-deployer", deployerToken, """
                  web:
                    image: %s
                    replicas: 0
                """.formatted(image) + network.indent(4));
    }

    @Test
    void connectsNamesAnAppOfTheTeamAndAPortItDeclares() throws Exception {
        var wrongPort = pushWeb("connects:\n  - {app: db, port: postgres, local: 5432}");
        assertThat(wrongPort.exit()).isNotZero();
        assertThat(wrongPort.out()).contains("remote: berth.yaml:7:9: app 'web': app 'db' has no port named 'postgres';"
                        + " it declares 'pg', 'metrics'")
                .contains("[remote rejected] HEAD -> main (invalid berth.yaml)");

        var missing = pushWeb("connects:\n  - {app: cache, port: redis, local: 6379}");
        assertThat(missing.out()).contains("remote: berth.yaml:7:9: app 'web': connects to app 'cache', but team netops has no app"
                + " 'cache' (connects reaches only apps of the same team)");
        // Another team's app, by a port it has: told exactly what a missing app is told.
        var rival = pushWeb("connects:\n  - {app: vault, port: pg, local: 5432}");
        assertThat(rival.exit()).isNotZero();
        assertThat(rival.out()).contains("remote: berth.yaml:7:9: app 'web': connects to app 'vault', but team netops has no app"
                + " 'vault' (connects reaches only apps of the same team)").doesNotContain(RIVAL);

        var good = pushWeb("connects:\n  - {app: db, port: pg, local: 5432}");
        assertThat(good.exit()).as(good.out()).isZero();
        var network = root.get("/api/v1/teams/" + TEAM + "/apps/web/network");
        assertThat(network.status()).as(network.body()).isEqualTo(200);
        assertThat(network.json().get("egress").asString()).isEqualTo("none");
        assertThat(network.json().get("connects").toString()).isEqualTo("[{\"app\":\"db\",\"port\":\"pg\",\"local\":5432}]");
        assertThat(network.json().get("refused").toString()).as("nothing refused yet").isEqualTo("[]");
    }

    @Test
    void aPrivateDestinationNeedsARangeTheTeamIsAllowed() throws Exception {
        String egress = "egress: public\negressTo: [\"10.20.0.5/32:5432\", \"203.0.113.0/24:443\"]";
        var refused = push(TEAM, "net-egress", "net-deployer", deployerToken, """
                  api:
                    image: %s
                    replicas: 0
                """.formatted(image) + egress.indent(4));
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.out()).contains("remote: berth.yaml:7:16: app 'api': egressTo 10.20.0.5/32:5432 is not allowed for team"
                + " netops: it is not a public range and none of the team's allowed ranges holds it; a platform admin can allow it"
                + " under Teams → netops → Network").doesNotContain("203.0.113.0/24:443 is not allowed");

        var allowed = root.put("/api/v1/teams/" + TEAM + "/network/egress-allow", Map.of("ranges", List.of("10.20.0.0/16")));
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        var accepted = push(TEAM, "net-egress", "net-deployer", deployerToken, """
                  api:
                    image: %s
                    replicas: 0
                """.formatted(image) + egress.indent(4));
        assertThat(accepted.exit()).as(accepted.out()).isZero();

        var network = Api.at(port).bearer(deployerToken).get("/api/v1/teams/" + TEAM + "/apps/api/network").json();
        assertThat(network.get("egress").asString()).isEqualTo("public");
        assertThat(network.get("egressTo").toString())
                .isEqualTo("[{\"cidr\":\"10.20.0.5/32\",\"port\":5432},{\"cidr\":\"203.0.113.0/24\",\"port\":443}]");
        assertThat(network.get("allowedRanges").toString()).isEqualTo("[\"10.20.0.0/16\"]");
        root.put("/api/v1/teams/" + TEAM + "/network/egress-allow", Map.of("ranges", List.of()));
    }
}
