package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.DeployedApps;
import dev.berth.platform.PlatformTest;
import dev.berth.platform.hosts.HostProperties;
import dev.berth.platform.repositories.DefinitionReview;
import dev.berth.platform.repositories.RepositoryStore;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A round's snapshot is read in a fixed number of statements, however many apps there are: counted
 * on the connections of a fresh loader (fresh revision cache, so revisions are read too), with one
 * app and with many.
 */
class RoundSnapshotLoaderTest extends PlatformTest {
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    HostProperties hostProperties;
    @Autowired
    DefinitionReview review;
    @Autowired
    RepositoryStore repositories;
    @Autowired
    DeploymentStore deployments;
    @Autowired
    ReplicaStore replicas;

    private record Loaded(int statements, RoundSnapshot snapshot) {
    }

    private Loaded load() {
        var counting = new CountingDataSource(dataSource);
        var jdbc = JdbcClient.create(counting.proxy());
        var loader = new RoundSnapshotLoader(jdbc, new ReplicaStore(jdbc), new DeploymentStore(jdbc), new AppRevisions(jdbc),
                hostProperties);
        var snapshot = loader.load();
        return new Loaded(counting.statements.get(), snapshot);
    }

    private static long appsOf(RoundSnapshot snapshot, String team) {
        return snapshot.newest().stream().filter(d -> d.deployment().team().equals(team)).count();
    }

    @Test
    void readsOneAppAndManyAppsInTheSameFewStatements() {
        var api = Api.at(port);
        var admin = api.bearer(api.tokenFor("admin", ADMIN_PASSWORD));
        String team = "snapshot-" + UNIQUE.incrementAndGet();
        assertThat(admin.post("/api/v1/teams", Map.of("name", team)).status()).isEqualTo(201);
        var seeder = new DeployedApps(review, repositories, deployments, replicas);
        // One repository per app, so a later seed does not remove an earlier app.
        java.util.function.IntConsumer seed = i -> {
            assertThat(admin.post("/api/v1/teams/" + team + "/repositories", Map.of("name", "r" + i)).status()).isEqualTo(201);
            seeder.seed(team, "r" + i, "app" + i, null);
        };

        seed.accept(0);
        var one = load();
        assertThat(appsOf(one.snapshot(), team)).isEqualTo(1);

        for (int i = 1; i <= 15; i++) seed.accept(i);
        var many = load();
        assertThat(appsOf(many.snapshot(), team)).isEqualTo(16);
        assertThat(many.snapshot().revisions().found()).hasSizeGreaterThanOrEqualTo(16);

        // Hosts, live replicas, newest deployments, last succeeded ones, revisions, set secret names.
        assertThat(one.statements()).isEqualTo(6);
        assertThat(many.statements()).isEqualTo(one.statements());
    }
}
